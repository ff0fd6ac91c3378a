package io.realtimehub.load;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * What the subscribers of one I/O thread saw. Written by that thread only; merged (and sent
 * between processes as one text line) after the run.
 */
final class Stats {
    /** Latencies in microseconds, up to an hour, three significant digits. */
    final Histogram latency = new Histogram(3_600_000_000L, 3);
    /** Per subscriber (with a fault): microseconds from the fault's start until it was receiving again. */
    final Histogram recovery = new Histogram(3_600_000_000L, 3);
    long live;
    long connectFailures;
    long drops;
    long reconnects;
    /** HTTP requests the subscribers sent: handshakes, every long-poll, every stream (re)opened. */
    long requests;
    long deliveries;
    long unique;
    long duplicates;
    long outOfOrder;
    long resets;
    long errors;
    /** join, leave and presence (count) events received, in all and by the subscriber that got most. */
    long presence;
    long presenceMax;
    /** Deliveries owed (accepted messages x subscribers), and those of them that never arrived. */
    long expected;
    long lost;
    /** Messages received whose publish was not answered 202 (it failed or timed out, yet went through). */
    long unaccepted;
    /** Subscribers that never received an event published after the fault. */
    long unrecovered;
    /** Subscribers without a connection when the run ended (waiting to reconnect). */
    long down;
    long firstDeliveryMicros = Long.MAX_VALUE;
    long lastDeliveryMicros;
    /** Per message index (only with --gaps-csv): sums of the time since the subscriber's previous message, and of latency. */
    private long[] gapSum = new long[0];
    private long[] gapCount = new long[0];
    private long[] latencySum = new long[0];
    private long[] latencyCount = new long[0];
    private final boolean perMessage;

    Stats(boolean perMessage) {
        this.perMessage = perMessage;
    }

    void delivered(long seq, long latencyMicros, long gapMicros, long nowMicros) {
        deliveries++;
        unique++;
        latency.recordValue(Math.max(0, Math.min(latencyMicros, latency.getHighestTrackableValue())));
        if (nowMicros < firstDeliveryMicros) {
            firstDeliveryMicros = nowMicros;
        }
        if (nowMicros > lastDeliveryMicros) {
            lastDeliveryMicros = nowMicros;
        }
        if (perMessage && seq < 10_000_000) {
            int i = (int) seq;
            grow(i);
            latencySum[i] += latencyMicros;
            latencyCount[i]++;
            if (gapMicros >= 0) {
                gapSum[i] += gapMicros;
                gapCount[i]++;
            }
        }
    }

    private void grow(int i) {
        if (i >= gapSum.length) {
            int n = Math.max(i + 1, gapSum.length * 2);
            gapSum = Arrays.copyOf(gapSum, n);
            gapCount = Arrays.copyOf(gapCount, n);
            latencySum = Arrays.copyOf(latencySum, n);
            latencyCount = Arrays.copyOf(latencyCount, n);
        }
    }

    void add(Stats other) {
        latency.add(other.latency);
        recovery.add(other.recovery);
        live += other.live;
        connectFailures += other.connectFailures;
        drops += other.drops;
        reconnects += other.reconnects;
        requests += other.requests;
        deliveries += other.deliveries;
        unique += other.unique;
        duplicates += other.duplicates;
        outOfOrder += other.outOfOrder;
        resets += other.resets;
        errors += other.errors;
        presence += other.presence;
        presenceMax = Math.max(presenceMax, other.presenceMax);
        expected += other.expected;
        lost += other.lost;
        unaccepted += other.unaccepted;
        unrecovered += other.unrecovered;
        down += other.down;
        firstDeliveryMicros = Math.min(firstDeliveryMicros, other.firstDeliveryMicros);
        lastDeliveryMicros = Math.max(lastDeliveryMicros, other.lastDeliveryMicros);
        if (other.gapSum.length > 0) {
            grow(other.gapSum.length - 1);
            for (int i = 0; i < other.gapSum.length; i++) {
                gapSum[i] += other.gapSum[i];
                gapCount[i] += other.gapCount[i];
                latencySum[i] += other.latencySum[i];
                latencyCount[i] += other.latencyCount[i];
            }
        }
    }

    /** Rows of {@code index,avg_gap_ms,avg_latency_ms,subscribers} for every message index anyone received. */
    String gapsCsv() {
        var out = new StringBuilder("message,avg_gap_ms,avg_latency_ms,receivers\n");
        for (int i = 0; i < gapSum.length; i++) {
            if (latencyCount[i] == 0) {
                continue;
            }
            out.append(i).append(',')
                    .append(gapCount[i] == 0 ? "" : String.format("%.3f", gapSum[i] / 1000.0 / gapCount[i])).append(',')
                    .append(String.format("%.3f", latencySum[i] / 1000.0 / latencyCount[i])).append(',')
                    .append(latencyCount[i]).append('\n');
        }
        return out.toString();
    }

    /** One line of text: counters and the compressed histograms (for a worker process to hand its parent). */
    String encode() {
        Map<String, Long> counters = counters();
        var out = new StringBuilder();
        counters.forEach((k, v) -> out.append(k).append('=').append(v).append(' '));
        out.append("histogram=").append(encode(latency)).append(" recovery=").append(encode(recovery));
        return out.toString();
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), n));
    }

    static Stats decode(String line) {
        var stats = new Stats(false);
        for (String part : line.trim().split(" ")) {
            int eq = part.indexOf('=');
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (key.equals("histogram") || key.equals("recovery")) {
                try {
                    (key.equals("histogram") ? stats.latency : stats.recovery).add(Histogram.decodeFromCompressedByteBuffer(
                            ByteBuffer.wrap(Base64.getDecoder().decode(value)), 0));
                } catch (DataFormatException e) {
                    throw new IllegalStateException("bad histogram from a worker", e);
                }
                continue;
            }
            long v = Long.parseLong(value);
            switch (key) {
                case "live" -> stats.live = v;
                case "connectFailures" -> stats.connectFailures = v;
                case "drops" -> stats.drops = v;
                case "reconnects" -> stats.reconnects = v;
                case "requests" -> stats.requests = v;
                case "deliveries" -> stats.deliveries = v;
                case "unique" -> stats.unique = v;
                case "duplicates" -> stats.duplicates = v;
                case "outOfOrder" -> stats.outOfOrder = v;
                case "resets" -> stats.resets = v;
                case "errors" -> stats.errors = v;
                case "presence" -> stats.presence = v;
                case "presenceMax" -> stats.presenceMax = v;
                case "expected" -> stats.expected = v;
                case "lost" -> stats.lost = v;
                case "unaccepted" -> stats.unaccepted = v;
                case "unrecovered" -> stats.unrecovered = v;
                case "down" -> stats.down = v;
                case "firstDeliveryMicros" -> stats.firstDeliveryMicros = v;
                case "lastDeliveryMicros" -> stats.lastDeliveryMicros = v;
                default -> {
                }
            }
        }
        return stats;
    }

    private Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("live", live);
        m.put("connectFailures", connectFailures);
        m.put("drops", drops);
        m.put("reconnects", reconnects);
        m.put("requests", requests);
        m.put("deliveries", deliveries);
        m.put("unique", unique);
        m.put("duplicates", duplicates);
        m.put("outOfOrder", outOfOrder);
        m.put("resets", resets);
        m.put("errors", errors);
        m.put("presence", presence);
        m.put("presenceMax", presenceMax);
        m.put("expected", expected);
        m.put("lost", lost);
        m.put("unaccepted", unaccepted);
        m.put("unrecovered", unrecovered);
        m.put("down", down);
        m.put("firstDeliveryMicros", firstDeliveryMicros);
        m.put("lastDeliveryMicros", lastDeliveryMicros);
        return m;
    }
}
