package io.realtimehub.core;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The recent events of one channel, each with the node-local sequence number it was delivered
 * under. Every node delivers the relay's events in the same order, so "after event X" means the
 * same events on every node even though the sequence numbers differ. Guarded by the hub's lock.
 */
final class History {
    /** An event as delivered on this node. */
    record Entry(long seq, Event event) {
    }

    private final int maxSize;
    private final long maxAgeMillis;
    private final int hardLimit;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** Sequence of the newest event dropped from this history; 0 when none was. */
    private long droppedUpTo;

    /** @param droppedUpTo events up to this sequence existed once and are gone (0: none) */
    History(int maxSize, long maxAgeMillis, int hardLimit, long droppedUpTo) {
        this.maxSize = maxSize;
        this.maxAgeMillis = maxAgeMillis;
        this.hardLimit = Math.max(maxSize, hardLimit);
        this.droppedUpTo = droppedUpTo;
    }

    /** Whether every event here is older than {@code maxAge} (or there is none). */
    boolean stale(long now) {
        return entries.isEmpty() || now - entries.peekLast().event().ts() > maxAgeMillis;
    }

    /** The id of the newest event here, or "" when there is none. */
    String newestId() {
        return entries.isEmpty() ? "" : entries.peekLast().event().id();
    }

    /** The sequence of the newest event ever held here. */
    long newestSeq() {
        return entries.isEmpty() ? droppedUpTo : entries.peekLast().seq();
    }

    void add(long seq, Event event, long now) {
        entries.addLast(new Entry(seq, event));
        trim(now);
    }

    /**
     * Keeps at least the last {@code maxSize} events or those of the last {@code maxAge},
     * whichever is more, but never more than {@code hardLimit} (a flood must not exhaust the heap).
     */
    void trim(long now) {
        while (entries.size() > hardLimit
                || entries.size() > maxSize && now - entries.peekFirst().event().ts() > maxAgeMillis) {
            droppedUpTo = entries.pollFirst().seq();
        }
    }

    /** The local sequence of event {@code id}, or -1 when it is not (or no longer) here. */
    long seqOf(String id) {
        var it = entries.descendingIterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (entry.event().id().equals(id)) {
                return entry.seq();
            }
        }
        return -1;
    }

    /** Whether every event delivered after {@code seq} is still here. */
    boolean covers(long seq) {
        return droppedUpTo <= seq;
    }

    /** Appends the entries after {@code seq}, oldest first. */
    void after(long seq, List<Entry> into) {
        for (Entry entry : entries) {
            if (entry.seq() > seq) {
                into.add(entry);
            }
        }
    }

    int size() {
        return entries.size();
    }
}
