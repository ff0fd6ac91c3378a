package io.realtimehub.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The hub's counters, written in Prometheus text format by {@link #writePrometheus}. */
public final class HubMetrics {
    public static final String[] TRANSPORTS = {"websocket", "poll", "jsonp", "iframe", "sse"};
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder slowConsumersDropped = new LongAdder();
    private final LongAdder[] refusals = new LongAdder[Rejection.Code.values().length];
    private final AtomicLongArray roundtripBuckets = new AtomicLongArray(BUCKETS.length);
    private final LongAdder roundtripCount = new LongAdder();
    private final DoubleAdder roundtripSum = new DoubleAdder();
    private volatile boolean relayUp;

    public HubMetrics() {
        for (String transport : TRANSPORTS) {
            connections.put(transport, new AtomicInteger());
            delivered.put(transport, new LongAdder());
        }
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** A request or frame answered with {@code code} (4xx, 503, or an {@code error} event). */
    public void refused(Rejection.Code code) {
        refusals[code.ordinal()].increment();
    }

    public long refusals(Rejection.Code code) {
        return refusals[code.ordinal()].sum();
    }

    public void connectionOpened(String transport) {
        connections.computeIfAbsent(transport, t -> new AtomicInteger()).incrementAndGet();
    }

    public void connectionClosed(String transport) {
        connections.computeIfAbsent(transport, t -> new AtomicInteger()).decrementAndGet();
    }

    public int connections(String transport) {
        AtomicInteger count = connections.get(transport);
        return count == null ? 0 : count.get();
    }

    public int totalConnections() {
        return connections.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void delivered(String transport, int events) {
        delivered.computeIfAbsent(transport, t -> new LongAdder()).add(events);
    }

    /** The delivered counter of {@code transport}, for a connection to add to without looking it up per send. */
    public LongAdder deliveredCounter(String transport) {
        return delivered.computeIfAbsent(transport, t -> new LongAdder());
    }

    public long deliveredTotal(String transport) {
        LongAdder count = delivered.get(transport);
        return count == null ? 0 : count.sum();
    }

    void published() {
        published.increment();
    }

    public long publishedTotal() {
        return published.sum();
    }

    void slowConsumerDropped() {
        slowConsumersDropped.increment();
    }

    public long slowConsumersDropped() {
        return slowConsumersDropped.sum();
    }

    void relayUp(boolean up) {
        relayUp = up;
    }

    void relayRoundtrip(double seconds) {
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                roundtripBuckets.incrementAndGet(i);
            }
        }
        roundtripCount.increment();
        roundtripSum.add(seconds);
    }

    public void writePrometheus(StringBuilder out) {
        out.append("# HELP hub_connections Open connections by transport (a waiting long-poll counts as one).\n")
                .append("# TYPE hub_connections gauge\n");
        for (String transport : TRANSPORTS) {
            out.append("hub_connections{transport=\"").append(transport).append("\"} ")
                    .append(connections(transport)).append('\n');
        }
        counter(out, "hub_events_published_total", "Events accepted for publishing on this node.", published.sum());
        out.append("# HELP hub_events_delivered_total Events written to clients, by transport.\n")
                .append("# TYPE hub_events_delivered_total counter\n");
        for (String transport : TRANSPORTS) {
            out.append("hub_events_delivered_total{transport=\"").append(transport).append("\"} ")
                    .append(deliveredTotal(transport)).append('\n');
        }
        counter(out, "hub_slow_consumers_dropped_total", "Clients disconnected because their outbox overflowed.",
                slowConsumersDropped.sum());
        out.append("# HELP hub_refusals_total Requests and frames refused, by the protocol's error code.\n")
                .append("# TYPE hub_refusals_total counter\n");
        for (Rejection.Code code : Rejection.Code.values()) {
            out.append("hub_refusals_total{code=\"").append(code.wire).append("\"} ").append(refusals(code)).append('\n');
        }
        out.append("# HELP hub_relay_up Whether the relay is connected (1) or not (0).\n")
                .append("# TYPE hub_relay_up gauge\n")
                .append("hub_relay_up ").append(relayUp ? 1 : 0).append('\n');
        out.append("# HELP hub_relay_roundtrip_seconds From publish on this node to its delivery back from the relay.\n")
                .append("# TYPE hub_relay_roundtrip_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            out.append("hub_relay_roundtrip_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(roundtripBuckets.get(i)).append('\n');
        }
        long count = roundtripCount.sum();
        out.append("hub_relay_roundtrip_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n')
                .append("hub_relay_roundtrip_seconds_sum ").append(roundtripSum.sum()).append('\n')
                .append("hub_relay_roundtrip_seconds_count ").append(count).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
