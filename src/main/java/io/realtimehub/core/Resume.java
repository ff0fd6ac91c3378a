package io.realtimehub.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a reconnecting session catches up: from an event id or a per-channel cursor, out of the
 * channels' histories, or a {@code reset} per channel where history no longer reaches back.
 * Called by {@link Channels} under its lock, so nothing is delivered in between.
 */
final class Resume {
    private Resume() {
    }

    /**
     * Refills the outbox from history after {@code since} (an event id, or a cursor: see
     * {@link Cursor}); queues a reset per channel when that is impossible. Returns whether
     * {@code since} was honoured; puts the positions resumed from in {@code positions}.
     */
    static boolean from(ClientSession session, String since, boolean created, Map<String, String> positions,
                        Function<String, History> histories) {
        if (!created && (since.equals(session.lastDelivered()) || since.equals(session.resetSince())
                || Cursor.holds(since, session.lastDelivered())
                || session.lastDelivered() == null && since.equals(session.welcomeCursor()))) {
            // The outbox holds exactly what came after since (or after the reset already sent for it):
            // nothing to redo, and a client that keeps sending a since it was reset for loses nothing.
            return true;
        }
        if (Cursor.isCursor(since)) {
            return fromCursor(session, since, positions, histories);
        }
        Collection<String> names = session.channels().keySet();
        long from = -1;
        for (String name : names) {
            from = Math.max(from, histories.apply(name).seqOf(since));
        }
        session.clearChannelEvents();
        boolean covered = from >= 0;
        for (String name : names) {
            covered &= histories.apply(name).covers(from);
        }
        if (!covered) {
            names.forEach(name -> session.offer(Event.reset(name)));
            session.resetFor(since);
            return false;
        }
        var missed = new ArrayList<History.Entry>();
        for (String name : names) {
            histories.apply(name).after(from, missed);
        }
        offerInOrder(session, missed);
        return true;
    }

    /** Queues what was missed in relay order. */
    private static void offerInOrder(ClientSession session, List<History.Entry> missed) {
        missed.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        for (History.Entry entry : missed) {
            if (!session.offer(entry.event())) {
                break; // more missed than the outbox holds: the overflow policy applies on the next delivery
            }
        }
    }

    /**
     * Resumes each channel from its own position: exact on any node, because each channel has one
     * order everywhere. A channel the cursor does not name was just subscribed: live events only.
     */
    private static boolean fromCursor(ClientSession session, String since, Map<String, String> positions,
                                      Function<String, History> histories) {
        Map<String, String> given = Cursor.parse(since);
        session.clearChannelEvents();
        var missed = new ArrayList<History.Entry>();
        boolean all = true;
        for (String name : session.channels().keySet()) {
            String id = given == null ? null : given.get(name);
            if (given != null && id == null) {
                continue;
            }
            History history = histories.apply(name);
            // "" : the channel had no event where the cursor was made: all this node holds of it follows.
            long from = id == null ? -1 : id.isEmpty() ? 0 : history.seqOf(id);
            if (from < 0 || from > 0 && !history.covers(from)) {
                session.offer(Event.reset(name));
                all = false;
                continue;
            }
            positions.put(name, id);
            history.after(from, missed);
        }
        if (!all) {
            session.resetFor(since);
        }
        offerInOrder(session, missed);
        return all;
    }
}
