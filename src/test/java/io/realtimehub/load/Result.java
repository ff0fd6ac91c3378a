package io.realtimehub.load;

import io.realtimehub.core.JsonText;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** What a run measured, as a table for people and one JSON object for tools. */
record Result(Options options, String conditionsBefore, Stats stats, long published, long publishFailures,
              Histogram publishRoundTrip, long connectMillis, long publishStartMicros, long publishEndMicros,
              String probe) {

    long expected() {
        return published * stats.live;
    }

    long lost() {
        return Math.max(0, expected() - stats.unique);
    }

    /** Deliveries per second over the publishing time plus the tail of the last deliveries. */
    double deliveriesPerSecond() {
        long end = Math.max(publishEndMicros, stats.lastDeliveryMicros);
        double seconds = (end - publishStartMicros) / 1e6;
        return seconds <= 0 ? 0 : stats.deliveries / seconds;
    }

    double ms(double percentile) {
        return stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
        return stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getMaxValue() / 1000.0;
    }

    /** Zero loss, no duplicates, nothing out of order, everyone connected and nobody dropped. */
    boolean clean() {
        return lost() == 0 && stats.duplicates == 0 && stats.outOfOrder == 0 && stats.connectFailures == 0
                && stats.drops == 0 && publishFailures == 0 && published > 0;
    }

    String table() {
        var t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n%s: %s, %d subscribers, %.0f msg/s x %d chars, %d s%s%n",
                options.label() == null ? "realtime-hub load" : options.label(), options.transport().wire,
                options.subscribers(), options.rate(), options.size(), options.duration(),
                options.groups() > 1 ? ", " + options.groups() + " channels" : ""));
        t.append("  conditions        ").append(conditionsBefore).append('\n');
        t.append("  load average now  ").append(Conditions.loadAverage()).append('\n');
        row(t, "connected", stats.live + " of " + options.subscribers() + " in " + connectMillis / 1000.0 + " s");
        row(t, "connect failures", stats.connectFailures);
        row(t, "dropped", stats.drops);
        row(t, "reconnects", stats.reconnects);
        row(t, "published", published + " (" + publishFailures + " failed)");
        row(t, "expected", expected());
        row(t, "delivered", stats.deliveries);
        row(t, "deliveries/s", String.format(Locale.ROOT, "%.0f", deliveriesPerSecond()));
        row(t, "lost", lost());
        row(t, "duplicates", stats.duplicates);
        row(t, "out of order", stats.outOfOrder);
        row(t, "resets / errors", stats.resets + " / " + stats.errors);
        row(t, "latency ms", String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f",
                ms(50), ms(90), ms(99), ms(99.9), maxMs(),
                stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getMean() / 1000.0));
        row(t, "publish RTT ms", String.format(Locale.ROOT, "p50 %.2f  p99 %.2f  max %.2f",
                publishRoundTrip.getValueAtPercentile(50) / 1000.0, publishRoundTrip.getValueAtPercentile(99) / 1000.0,
                publishRoundTrip.getMaxValue() / 1000.0));
        if (probe != null) {
            row(t, "on-ready", probe.replace("\n", " | "));
        }
        row(t, "verdict", clean() ? "CLEAN (no loss, duplicates, reordering or failures)" : "NOT CLEAN");
        return t.toString();
    }

    private static void row(StringBuilder t, String name, Object value) {
        t.append(String.format(Locale.ROOT, "  %-17s %s%n", name, value));
    }

    String json() {
        return String.format(Locale.ROOT,
                "{\"label\":%s,\"transport\":\"%s\",\"url\":%s,\"subscribers\":%d,\"rate\":%.3f,\"size\":%d,\"duration\":%d,"
                        + "\"groups\":%d,\"publishers\":%d,\"processes\":%d,\"conditions\":%s,\"loadAverageAfter\":%s,"
                        + "\"connected\":%d,\"connectFailures\":%d,\"connectSeconds\":%.3f,\"dropped\":%d,\"reconnects\":%d,"
                        + "\"published\":%d,\"publishFailures\":%d,\"expected\":%d,\"delivered\":%d,\"deliveriesPerSecond\":%.1f,"
                        + "\"lost\":%d,\"duplicates\":%d,\"outOfOrder\":%d,\"resets\":%d,\"errors\":%d,"
                        + "\"latencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"mean\":%.3f},"
                        + "\"publishRoundTripMs\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"onReady\":%s,\"clean\":%b}",
                quote(options.label()), options.transport().wire, quote(options.url().toString()), options.subscribers(),
                options.rate(), options.size(), options.duration(), options.groups(), options.publishers(),
                options.processes(), quote(conditionsBefore), quote(Conditions.loadAverage()),
                stats.live, stats.connectFailures, connectMillis / 1000.0, stats.drops, stats.reconnects,
                published, publishFailures, expected(), stats.deliveries, deliveriesPerSecond(),
                lost(), stats.duplicates, stats.outOfOrder, stats.resets, stats.errors,
                ms(50), ms(90), ms(99), ms(99.9), maxMs(),
                stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getMean() / 1000.0,
                publishRoundTrip.getValueAtPercentile(50) / 1000.0, publishRoundTrip.getValueAtPercentile(99) / 1000.0,
                publishRoundTrip.getMaxValue() / 1000.0, quote(probe), clean());
    }

    private static String quote(String s) {
        return s == null ? "null" : JsonText.quote(s);
    }
}
