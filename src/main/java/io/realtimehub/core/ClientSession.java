package io.realtimehub.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.Map;
import java.util.Set;

/**
 * One client on this node: its id, its subscriptions, a bounded outbox, and the connection
 * attached now (at most one). Events wait in the outbox while no connection is attached, so a
 * long-poll client loses nothing between two polls.
 */
public final class ClientSession {
    private final String id;
    private final int outboxLimit;
    private final ArrayDeque<Event> outbox = new ArrayDeque<>();
    /** channel -> transport it joined with; guarded by the hub's lock. */
    private final Map<String, String> channels = new LinkedHashMap<>();
    /** Written under this session's lock; volatile so that a delivery can wake it without taking the lock. */
    private volatile Connection connection;
    /** Id of the last channel event handed to a connection: a poll with this {@code since} needs no refill. */
    private String lastDelivered;
    /** A since this session was answered with a reset for. */
    private String resetSince;
    /** The cursor of its last welcome: a poll that gives it back has seen nothing since. */
    private String welcomeCursor;
    private String transport;
    private long lastSeen;
    /** When the last connection was attached, and how long it could be held (a long-poll's timeout). */
    private long attachedAt;
    private long holdMillis;
    private boolean closed;
    /** Orders this session's joins and leaves: whoever announces for it holds this first. */
    private final Object presenceLock = new Object();
    /** Its memberships are announced; false once it left after its grace. Changed under presenceLock. */
    private volatile boolean present = true;

    /** What its latest credential allows; replaced on every connect. */
    private volatile Grant grant = Grant.open(null);

    ClientSession(String id, String transport, int outboxLimit, long now) {
        this.id = id;
        this.transport = transport;
        this.outboxLimit = outboxLimit;
        this.lastSeen = now;
    }

    public String id() {
        return id;
    }

    public Grant grant() {
        return grant;
    }

    void grant(Grant latest) {
        grant = latest;
    }

    public synchronized String transport() {
        return transport;
    }

    /** Queues an event; false when the outbox is full (the caller applies the overflow policy). */
    synchronized boolean offer(Event event) {
        if (closed) {
            return true; // nothing to deliver to any more, and not a slow consumer
        }
        if (outbox.size() >= outboxLimit) {
            return false;
        }
        outbox.addLast(event);
        return true;
    }

    /** Puts a control event (welcome) ahead of everything queued. */
    synchronized void offerFirst(Event event) {
        outbox.addFirst(event);
    }

    /** Drops queued channel events (a resume refills them from history); keeps control events. */
    synchronized void clearChannelEvents() {
        outbox.removeIf(Event::isChannelEvent);
    }

    /** Wakes the attached connection, if any. Call without holding the hub's lock. */
    public void wake() {
        Connection c;
        synchronized (this) {
            c = outbox.isEmpty() ? null : connection;
        }
        if (c != null) {
            c.wake();
        }
    }

    /**
     * Wakes the attached connection right after {@link #offer} queued an event, without taking this
     * session's lock a second time per delivery. The outbox may have been drained meanwhile: a
     * connection takes a wake with nothing queued as it takes any other (as after {@link #wake}).
     */
    void wakeQueued() {
        Connection c = connection;
        if (c != null) {
            c.wake();
        }
    }

    /**
     * The next queued event for {@code c}, or null when there is none or {@code c} is no longer
     * the attached connection (a replaced connection must not take what its successor is owed).
     */
    public synchronized Event poll(Connection c) {
        if (connection != c) {
            return null;
        }
        Event event = outbox.pollFirst();
        if (event != null && event.isChannelEvent()) {
            lastDelivered = event.id();
        }
        return event;
    }

    /**
     * Everything queued for {@code c}, up to {@code maxBytes} of JSON (at least one event); empty
     * when {@code c} is no longer the attached connection.
     */
    public List<Event> drain(Connection c, int maxBytes) {
        return drain(c, maxBytes, event -> event.json().length(), true);
    }

    /**
     * Events queued for {@code c} whose {@code size}s add up to at most {@code maxBytes}; when
     * {@code atLeastOne}, the first event even if it alone is larger. Empty when {@code c} is no
     * longer the attached connection.
     */
    public synchronized List<Event> drain(Connection c, long maxBytes, ToIntFunction<Event> size, boolean atLeastOne) {
        if (connection != c || outbox.isEmpty()) {
            return List.of();
        }
        if (outbox.size() == 1 && (atLeastOne || size.applyAsInt(outbox.peekFirst()) <= maxBytes)) {
            Event event = outbox.pollFirst(); // the usual case at low rates: no list to grow
            if (event.isChannelEvent()) {
                lastDelivered = event.id();
            }
            return List.of(event);
        }
        var batch = new ArrayList<Event>(Math.min(outbox.size(), 64));
        long bytes = 0;
        while (!outbox.isEmpty()) {
            int next = size.applyAsInt(outbox.peekFirst());
            if (bytes + next > maxBytes && !(atLeastOne && batch.isEmpty())) {
                break;
            }
            Event event = outbox.pollFirst();
            bytes += next;
            batch.add(event);
            if (event.isChannelEvent()) {
                lastDelivered = event.id();
            }
        }
        return batch;
    }

    /** Whether events wait for {@code c} (false once {@code c} is replaced). */
    public synchronized boolean hasQueuedFor(Connection c) {
        return connection == c && !outbox.isEmpty();
    }

    synchronized int queued() {
        return outbox.size();
    }

    /** Attaches {@code next}; returns the connection it replaces (the caller closes it), or null. */
    synchronized Connection attach(Connection next, long now) {
        Connection previous = connection;
        connection = next;
        transport = next.transport();
        lastSeen = now;
        attachedAt = now;
        holdMillis = next.holdMillis();
        return previous == next ? null : previous;
    }

    /** Detaches {@code c} if it is the one attached; the idle clock starts now. */
    public synchronized void detach(Connection c, long now) {
        if (connection == c) {
            connection = null;
            lastSeen = now;
        }
    }

    synchronized Connection connection() {
        return connection;
    }

    synchronized boolean idleSince(long cutoff) {
        return connection == null && lastSeen < cutoff;
    }

    /**
     * Whether this present session has been without a connection for {@code graceMillis}, and
     * (a long-poll) has not polled for its poll timeout plus {@code graceMillis}.
     */
    synchronized boolean leaveDue(long now, long graceMillis) {
        return present && connection == null && !closed && now - lastSeen >= graceMillis
                && now - attachedAt >= holdMillis + graceMillis;
    }

    Object presenceLock() {
        return presenceLock;
    }

    boolean present() {
        return present;
    }

    /** Call holding {@link #presenceLock()}. */
    void present(boolean value) {
        present = value;
    }

    /** Marks the session closed and returns its connection, if one was attached. */
    synchronized Connection markClosed() {
        closed = true;
        outbox.clear();
        Connection c = connection;
        connection = null;
        return c;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    synchronized String lastDelivered() {
        return lastDelivered;
    }

    synchronized String resetSince() {
        return resetSince;
    }

    synchronized String welcomeCursor() {
        return welcomeCursor;
    }

    synchronized void welcomed(String cursor) {
        welcomeCursor = cursor;
    }

    synchronized void resetFor(String since) {
        resetSince = since;
    }

    /** Subscriptions; read and changed only under the hub's lock. */
    Map<String, String> channels() {
        return channels;
    }

    Set<String> channelNames() {
        return Set.copyOf(channels.keySet());
    }
}
