package io.realtimehub.load;

import io.realtimehub.core.JsonText;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run measured, as a table for people and one JSON object for tools. {@code published}
 * counts the publishes answered 202 (accepted); {@code expected} and {@code lost} count
 * deliveries: every accepted message once per subscriber that was connected.
 */
record Result(Options options, String conditionsBefore, Stats stats, long published, long publishedAfterFault,
              long publishFailures,
              Map<String, Long> failures, Histogram publishRoundTrip, long connectMillis, long publishStartMicros,
              long publishEndMicros, String probe, Fault fault, double refusedSeconds, boolean refusedToEnd) {

    long expected() {
        return stats.expected;
    }

    long lost() {
        return stats.lost;
    }

    boolean faulted() {
        return fault != null && fault.happened();
    }

    /** Seconds from the fault's start until every subscriber was receiving again (-1: some never did). */
    double recoverySeconds(double percentile) {
        if (stats.unrecovered > 0 && percentile >= 100) {
            return -1;
        }
        return stats.recovery.getTotalCount() == 0 ? 0 : stats.recovery.getValueAtPercentile(percentile) / 1e6;
    }

    /** The fault's start, in seconds after publishing began. */
    double faultOffsetSeconds() {
        return faulted() ? (fault.startMicros() - publishStartMicros) / 1e6 : 0;
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

    /**
     * Zero loss, no duplicates, nothing out of order, everyone connected; and without a fault,
     * nobody dropped and every publish accepted; with one, every subscriber receiving again.
     */
    boolean clean() {
        boolean delivered = lost() == 0 && stats.duplicates == 0 && stats.outOfOrder == 0 && stats.connectFailures == 0
                && published > 0;
        if (options.faultCmd() != null) {
            return delivered && faulted() && stats.unrecovered == 0 && !refusedToEnd;
        }
        return delivered && stats.drops == 0 && publishFailures == 0;
    }

    private String failureText() {
        return failures.isEmpty() ? "" : failures.entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", ", " (", ")"));
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
        row(t, "published", published + " accepted (202), " + publishFailures + " failed" + failureText());
        row(t, "expected", expected());
        row(t, "delivered", stats.deliveries);
        row(t, "deliveries/s", String.format(Locale.ROOT, "%.0f", deliveriesPerSecond()));
        row(t, "lost", lost());
        row(t, "not accepted, got", stats.unaccepted);
        row(t, "duplicates", stats.duplicates);
        row(t, "out of order", stats.outOfOrder);
        row(t, "resets / errors", stats.resets + " / " + stats.errors);
        row(t, "presence events", String.format(Locale.ROOT, "%d (%.2f per subscriber, at most %d)", stats.presence,
                stats.live == 0 ? 0.0 : (double) stats.presence / stats.live, stats.presenceMax));
        row(t, "latency ms", String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f",
                ms(50), ms(90), ms(99), ms(99.9), maxMs(),
                stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getMean() / 1000.0));
        row(t, "publish RTT ms", String.format(Locale.ROOT, "p50 %.2f  p99 %.2f  max %.2f",
                publishRoundTrip.getValueAtPercentile(50) / 1000.0, publishRoundTrip.getValueAtPercentile(99) / 1000.0,
                publishRoundTrip.getMaxValue() / 1000.0));
        if (probe != null) {
            row(t, "on-ready", probe.replace("\n", " | "));
        }
        if (options.faultCmd() != null) {
            row(t, "fault", faulted()
                    ? String.format(Locale.ROOT, "at %.1f s for %.1f s (exit %d), %d accepted after it, "
                                    + "publishes refused for %.1f s%s: %s",
                            faultOffsetSeconds(), fault.durationSeconds(), fault.exitCode(), publishedAfterFault,
                            refusedSeconds, refusedToEnd ? " (to the end)" : "", options.faultCmd())
                    : "did not run: " + options.faultCmd());
            row(t, "recovery s", String.format(Locale.ROOT, "p50 %.2f  p99 %.2f  max %s  (%d never recovered, %d down at the end)",
                    recoverySeconds(50), recoverySeconds(99),
                    stats.unrecovered > 0 ? "never" : String.format(Locale.ROOT, "%.2f", recoverySeconds(100)),
                    stats.unrecovered, stats.down));
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
                        + "\"connected\":%d,\"connectFailures\":%d,\"connectSeconds\":%.3f,\"dropped\":%d,\"reconnects\":%d,\"requests\":%d,"
                        + "\"published\":%d,\"publishFailures\":%d,\"expected\":%d,\"delivered\":%d,\"deliveriesPerSecond\":%.1f,"
                        + "\"lost\":%d,\"duplicates\":%d,\"outOfOrder\":%d,\"resets\":%d,\"errors\":%d,\"presence\":%d,\"presenceMax\":%d,"
                        + "\"latencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"mean\":%.3f},"
                        + "\"publishRoundTripMs\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"onReady\":%s,"
                        + "\"publishFailuresBy\":%s,\"unaccepted\":%d,\"down\":%d,\"fault\":%s,\"clean\":%b}",
                quote(options.label()), options.transport().wire, quote(options.url().toString()), options.subscribers(),
                options.rate(), options.size(), options.duration(), options.groups(), options.publishers(),
                options.processes(), quote(conditionsBefore), quote(Conditions.loadAverage()),
                stats.live, stats.connectFailures, connectMillis / 1000.0, stats.drops, stats.reconnects, stats.requests,
                published, publishFailures, expected(), stats.deliveries, deliveriesPerSecond(),
                lost(), stats.duplicates, stats.outOfOrder, stats.resets, stats.errors, stats.presence, stats.presenceMax,
                ms(50), ms(90), ms(99), ms(99.9), maxMs(),
                stats.latency.getTotalCount() == 0 ? 0 : stats.latency.getMean() / 1000.0,
                publishRoundTrip.getValueAtPercentile(50) / 1000.0, publishRoundTrip.getValueAtPercentile(99) / 1000.0,
                publishRoundTrip.getMaxValue() / 1000.0, quote(probe),
                failures.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue())
                        .collect(Collectors.joining(",", "{", "}")),
                stats.unaccepted, stats.down, faultJson(), clean());
    }

    private String faultJson() {
        if (options.faultCmd() == null) {
            return "null";
        }
        return String.format(Locale.ROOT,
                "{\"cmd\":%s,\"ran\":%b,\"atSeconds\":%.3f,\"durationSeconds\":%.3f,\"exit\":%d,\"output\":%s,"
                        + "\"acceptedAfter\":%d,\"refusedSeconds\":%.3f,\"refusedToEnd\":%b,"
                        + "\"recoverySeconds\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"unrecovered\":%d}",
                quote(options.faultCmd()), faulted(), faultOffsetSeconds(), faulted() ? fault.durationSeconds() : 0,
                faulted() ? fault.exitCode() : 0, quote(faulted() ? fault.output() : null), publishedAfterFault, refusedSeconds, refusedToEnd,
                recoverySeconds(50), recoverySeconds(99), recoverySeconds(100), stats.unrecovered);
    }

    private static String quote(String s) {
        return s == null ? "null" : JsonText.quote(s);
    }
}
