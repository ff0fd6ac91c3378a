package io.realtimehub.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The channels of this node and who subscribes to them. One lock orders delivery against
 * subscription changes, so a resuming client gets history then live events with no gap and no
 * duplicate. Everything here is quick: queueing, never writing to a client.
 */
final class Channels {
    /** What a connect changed: channels joined and left, and whether {@code since} was honoured. */
    record Change(List<String> joined, List<String> left, boolean resumed) {
    }

    /** Sessions that got an event, and sessions whose outbox was full. */
    record Delivery(List<ClientSession> woken, List<ClientSession> overflowed) {
    }

    private final HubSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Channel> channels = new HashMap<>(); // guarded by lock
    private long seq; // guarded by lock
    /** The newest event of any channel forgotten so far; guarded by lock. */
    private long forgottenUpTo;

    Channels(HubSettings settings) {
        this.settings = settings;
    }

    /**
     * Makes {@code session}'s subscriptions exactly {@code wanted}, honours {@code since} (history
     * after it, or a {@code reset} per channel) and queues a welcome first when {@code welcome}.
     */
    Change connect(ClientSession session, List<String> wanted, String transport, String since,
                   boolean created, boolean welcome) {
        var joined = new ArrayList<String>();
        var left = new ArrayList<String>();
        lock.lock();
        try {
            Map<String, String> subscribed = session.channels();
            for (String channel : List.copyOf(subscribed.keySet())) {
                if (!wanted.contains(channel)) {
                    unsubscribeLocked(session, channel);
                    left.add(channel);
                }
            }
            for (String channel : wanted) {
                if (!subscribed.containsKey(channel)) {
                    subscribed.put(channel, transport);
                    channel(channel).subscribers.add(session);
                    joined.add(channel);
                }
            }
            Map<String, String> positions = new java.util.LinkedHashMap<>();
            boolean resumed = since != null && Resume.from(session, since, created, positions, name -> channel(name).history);
            if (welcome) {
                // The cursor: where each channel resumed from, else its newest event now (what follows is queued).
                if (resumed && positions.isEmpty() && Cursor.isCursor(since)) {
                    keepSubscribed(Cursor.parse(since), session, positions); // the outbox follows since as it was
                }
                session.channels().keySet().forEach(name -> positions.putIfAbsent(name, channel(name).history.newestId()));
                String cursor = Cursor.format(positions);
                session.welcomed(cursor);
                session.offerFirst(Event.welcome(session.id(), session.grant().key(), settings.node(), transport, resumed,
                        cursor));
            }
            return new Change(joined, left, resumed);
        } finally {
            lock.unlock();
        }
    }

    private static void keepSubscribed(Map<String, String> from, ClientSession session, Map<String, String> into) {
        if (from != null) {
            from.forEach((channel, id) -> {
                if (session.channels().containsKey(channel)) {
                    into.put(channel, id);
                }
            });
        }
    }

    /** Adds one channel; false when already subscribed. */
    boolean subscribe(ClientSession session, String channel) {
        lock.lock();
        try {
            if (session.channels().size() >= settings.maxChannelsPerClient()
                    && !session.channels().containsKey(channel)) {
                throw Rejection.badRequest("at most " + settings.maxChannelsPerClient() + " channels per client");
            }
            boolean added = session.channels().putIfAbsent(channel, session.transport()) == null;
            if (added) {
                channel(channel).subscribers.add(session);
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** Removes one channel; false when it was not subscribed. */
    boolean unsubscribe(ClientSession session, String channel) {
        lock.lock();
        try {
            boolean removed = session.channels().containsKey(channel);
            unsubscribeLocked(session, channel);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** The subscriptions of {@code session} now (channel to transport). */
    Map<String, String> subscriptions(ClientSession session) {
        lock.lock();
        try {
            return new java.util.LinkedHashMap<>(session.channels());
        } finally {
            lock.unlock();
        }
    }

    /** Removes every subscription; returns what it was (channel to transport). */
    Map<String, String> unsubscribeAll(ClientSession session) {
        lock.lock();
        try {
            Map<String, String> left = Map.copyOf(session.channels());
            left.keySet().forEach(channel -> unsubscribeLocked(session, channel));
            return left;
        } finally {
            lock.unlock();
        }
    }

    private void unsubscribeLocked(ClientSession session, String channel) {
        session.channels().remove(channel);
        Channel ch = channels.get(channel);
        if (ch != null) {
            ch.subscribers.remove(session);
        }
    }

    /** Appends a channel event to its history and queues it for every subscriber, in relay order. */
    Delivery deliver(Event event, long now) {
        List<ClientSession> woken;
        var overflowed = new ArrayList<ClientSession>(0);
        lock.lock();
        try {
            Channel channel = channel(event.channel());
            channel.history.add(++seq, event, now);
            woken = new ArrayList<>(channel.subscribers.size());
            for (ClientSession session : channel.subscribers) {
                (session.offer(event) ? woken : overflowed).add(session);
            }
        } finally {
            lock.unlock();
        }
        return new Delivery(woken, overflowed);
    }

    /** Queues a control event of a channel (not kept in its history) for every subscriber here. */
    Delivery broadcast(Event control) {
        var woken = new ArrayList<ClientSession>();
        var overflowed = new ArrayList<ClientSession>();
        lock.lock();
        try {
            Channel channel = channels.get(control.channel());
            for (ClientSession session : channel == null ? List.<ClientSession>of() : channel.subscribers) {
                (session.offer(control) ? woken : overflowed).add(session);
            }
        } finally {
            lock.unlock();
        }
        return new Delivery(woken, overflowed);
    }

    /** The subscriptions of present {@code sessions}, for the roster other nodes ask for. */
    List<Presence.Membership> memberships(Collection<ClientSession> sessions) {
        var members = new ArrayList<Presence.Membership>();
        lock.lock();
        try {
            for (ClientSession session : sessions) {
                if (!session.present()) {
                    continue; // left after its grace: the others were told so
                }
                session.channels().forEach((channel, transport) ->
                        members.add(new Presence.Membership(channel, session.id(), transport)));
            }
        } finally {
            lock.unlock();
        }
        return members;
    }

    /**
     * Forgets channels nobody here subscribes to whose events are all older than the history's
     * age, so that names used once do not stay in memory for ever. A channel made again later
     * knows events were dropped, so a resume from before them gets a {@code reset}, not a gap.
     */
    void forgetIdle(long now) {
        lock.lock();
        try {
            channels.values().removeIf(channel -> {
                boolean idle = channel.subscribers.isEmpty() && channel.history.stale(now);
                if (idle) {
                    forgottenUpTo = Math.max(forgottenUpTo, channel.history.newestSeq());
                }
                return idle;
            });
        } finally {
            lock.unlock();
        }
    }

    /** How many sessions of this node subscribe to {@code name}. */
    int subscribers(String name) {
        lock.lock();
        try {
            Channel channel = channels.get(name);
            return channel == null ? 0 : channel.subscribers.size();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return channels.size();
        } finally {
            lock.unlock();
        }
    }

    private Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> new Channel(n, new History(settings.historySize(),
                settings.historyAgeMillis(), settings.historyLimit(), forgottenUpTo)));
    }
}
