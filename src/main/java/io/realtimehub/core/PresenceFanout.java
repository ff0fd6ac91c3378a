package io.realtimehub.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps joining N clients to a channel at O(N) deliveries instead of N x N. A join or leave goes
 * to the channel's members while the channel has at most {@code cap} members cluster-wide;
 * above the cap it is only counted, and the members get a {@code presence} summary of the count
 * instead, at most every {@code summaryMillis} and only when the count changed. The cap is judged
 * by the count in relay order, so every node decides alike for every event, and also by this
 * node's own subscribers of the channel, which run ahead of the count during a join storm.
 *
 * <p>After the first (which tells members that per-member events stopped, and goes at once), a
 * summary also waits until the channel has had no join or leave for {@link #SETTLE_MILLIS},
 * or, on a channel that never settles, until {@link #HOLD_LIMIT} summary intervals passed. So a
 * join storm costs each member one or two summaries (the first, the count it settled at), not one every
 * interval while it lasts; and a mass leave sends nothing to the members that are going. That
 * matters beyond the count of deliveries: a broadcast in the middle of thousands of closes puts a
 * send in flight on each closing connection, and a container may hold the thread that reads a
 * client's close until that send completes (Tomcat does: docs/BENCHMARKS.md, "Join storm").
 *
 * <p>A channel that falls back to the cap gets one last summary, or, if a join or leave comes
 * first, that event: either way its members know per-member events have resumed (and reload the
 * list from {@code /presence}).
 */
final class PresenceFanout {
    /** How long a summarized channel must go without a join or leave before its summary is due. */
    static final long SETTLE_MILLIS = 1000;
    /** On a channel that never settles, a summary is due once this many summary intervals passed. */
    static final int HOLD_LIMIT = 6;

    /** What a summarized channel last told its members, and when it last changed. */
    private static final class Summarized {
        int sentCount = -1;
        long sentAt; // 0: never
        long changedAt; // the last join or leave counted for it
        long heldSince = -1; // when a changed count first waited for the channel to settle; -1: none waits
    }

    private final PresenceSettings settings;
    private final Channels channels;
    private final Map<String, Summarized> summarized = new HashMap<>(); // guarded by this

    PresenceFanout(PresenceSettings settings, Channels channels) {
        this.settings = settings;
        this.channels = channels;
    }

    /**
     * Delivers a join or leave to the channel's members when it is visible and within the cap;
     * otherwise counts it for the next summary. Returns what was delivered, or null.
     */
    synchronized Channels.Delivery deliver(Event event, Presence.Change change, long now) {
        if (!change.visible()) {
            return null; // a repeat, or a move to another node: nobody joined or left
        }
        // The count follows the relay, this node's subscribers come at once: in a join storm
        // thousands subscribe before the hundredth join comes back, and each of those early joins
        // would reach all of them. Either one over the cap summarizes.
        if (change.largest() > settings.cap() || channels.subscribers(event.channel()) > settings.cap()) {
            summarized.computeIfAbsent(event.channel(), c -> new Summarized()).changedAt = now;
            return null;
        }
        summarized.remove(event.channel()); // back under the cap: this event says so
        return channels.deliver(event, now);
    }

    /** Sends the summaries that are due; returns the deliveries. Call every second or so. */
    synchronized List<Channels.Delivery> tick(long now, java.util.function.ToIntFunction<String> count) {
        var deliveries = new ArrayList<Channels.Delivery>();
        var iterator = summarized.entrySet().iterator();
        while (iterator.hasNext()) {
            Map.Entry<String, Summarized> entry = iterator.next();
            Summarized s = entry.getValue();
            int n = count.applyAsInt(entry.getKey());
            if (n == s.sentCount) {
                s.heldSince = -1; // back to what was told: nothing waits
            } else if (s.heldSince < 0) {
                s.heldSince = now;
            }
            // The first count says per-member events stopped: it goes at once, or members of a channel
            // that is big only briefly would see leaves of clients they never saw join, and no count.
            boolean settled = s.sentCount < 0 || now - s.changedAt >= SETTLE_MILLIS;
            boolean heldLong = s.heldSince >= 0 && now - s.heldSince >= HOLD_LIMIT * settings.summaryMillis();
            if (n != s.sentCount && now - s.sentAt >= settings.summaryMillis() && (settled || heldLong)) {
                // Encoded once, queued for every member on this node.
                deliveries.add(channels.broadcast(Event.presenceSummary(entry.getKey(), n)));
                s.sentCount = n;
                s.sentAt = now;
                s.heldSince = -1;
            }
            if (n <= settings.cap() && s.sentCount == n) {
                iterator.remove(); // told: per-member events follow
            }
        }
        return deliveries;
    }
}
