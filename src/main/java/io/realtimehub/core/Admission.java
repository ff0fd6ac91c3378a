package io.realtimehub.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Whether this node takes a new client: refuse, never die. A client the node already has a
 * session for (a poll, a stream or a WebSocket coming back) is always admitted, so existing
 * clients keep being served; a new one is refused while the node holds its budget of clients,
 * or while its heap is short (the long-lived heap still above the threshold after a
 * collection: {@code HeapWatch}). Each check is a counter read and a flag read: cheap enough
 * for every new session, nothing per message. Refusals are counted by reason.
 */
public final class Admission {
    /** Why a new client was refused; {@code label} is the metric's {@code reason}. */
    public enum Reason {
        CLIENTS("clients"), HEAP("heap");

        public final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final int maxClients;
    private final int retryAfterSeconds;
    private final IntSupplier clients;
    private final BooleanSupplier heapShort;
    private final Map<Reason, LongAdder> refused = new EnumMap<>(Reason.class);

    /**
     * @param maxClients        client sessions this node holds at most (0: no budget)
     * @param retryAfterSeconds what a refusal tells the client to wait
     * @param clients           the sessions the node holds now
     * @param heapShort         true while the heap has too little room left
     */
    public Admission(int maxClients, int retryAfterSeconds, IntSupplier clients, BooleanSupplier heapShort) {
        this.maxClients = maxClients;
        this.retryAfterSeconds = retryAfterSeconds;
        this.clients = clients;
        this.heapShort = heapShort;
        for (Reason reason : Reason.values()) {
            refused.put(reason, new LongAdder());
        }
    }

    /** Admits everyone: for tests and embedders that do their own. */
    public static Admission unlimited() {
        return new Admission(0, 1, () -> 0, () -> false);
    }

    /**
     * Returns when a client may connect; otherwise counts the refusal and throws a
     * {@link Rejection} (503 with {@code Retry-After}). {@code known}: the node already has a
     * session for this client (always admitted).
     */
    public void admit(boolean known) {
        if (known) {
            return;
        }
        Reason reason = refusal();
        if (reason != null) {
            refused.get(reason).increment();
            throw Rejection.full(reason == Reason.HEAP ? "node is short of memory, try again later"
                    : "node is full (" + maxClients + " clients), try again later", retryAfterSeconds);
        }
    }

    /** Why a new client would be refused now, or null when it would be admitted. */
    public Reason refusal() {
        if (maxClients > 0 && clients.getAsInt() >= maxClients) {
            return Reason.CLIENTS;
        }
        return heapShort.getAsBoolean() ? Reason.HEAP : null;
    }

    public int maxClients() {
        return maxClients;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public long refused(Reason reason) {
        return refused.get(reason).sum();
    }

    public void writePrometheus(StringBuilder out) {
        out.append("# HELP hub_connections_refused_total New clients refused (503 with Retry-After), by reason.\n")
                .append("# TYPE hub_connections_refused_total counter\n");
        for (Reason reason : Reason.values()) {
            out.append("hub_connections_refused_total{reason=\"").append(reason.label).append("\"} ")
                    .append(refused(reason)).append('\n');
        }
        out.append("# HELP hub_admission_max_clients Client sessions this node admits at most (0: no budget).\n")
                .append("# TYPE hub_admission_max_clients gauge\n")
                .append("hub_admission_max_clients ").append(maxClients).append('\n')
                .append("# HELP hub_admission_heap_short Whether new clients are refused for want of heap (1) or not (0).\n")
                .append("# TYPE hub_admission_heap_short gauge\n")
                .append("hub_admission_heap_short ").append(heapShort.getAsBoolean() ? 1 : 0).append('\n');
    }
}
