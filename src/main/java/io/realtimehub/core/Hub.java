package io.realtimehub.core;

import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The hub: publishing sends to the relay; what the relay delivers is appended to its channel's
 * history and queued for each subscribed session, in relay order. One lock orders delivery
 * against subscription changes, so a resuming client gets history then live events with no gap
 * and no duplicate. Knows nothing of HTTP or WebSocket.
 */
public final class Hub implements Relay.Listener {
    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private final HubSettings settings;
    private final Relay relay;
    private final HubMetrics metrics;
    private final Clock clock;
    private final EventIds ids;
    private final SessionRegistry sessions = new SessionRegistry();
    private final ClusterPresence presence;
    private final Publishers publishers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Channel> channels = new HashMap<>(); // guarded by lock
    private long seq; // guarded by lock

    public Hub(HubSettings settings, Relay relay, HubMetrics metrics, Clock clock) {
        this.settings = settings;
        this.relay = relay;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = new EventIds(clock.millis());
        this.presence = new ClusterPresence(settings, relay, ids, clock, this::localMembers);
        this.publishers = new Publishers(settings.publishRate(), settings.publishBurst());
    }

    public void start() {
        relay.start(this);
        metrics.relayUp(relay.isUp());
        presence.hello();
    }

    /**
     * Ends every connection, so clients reconnect elsewhere at once instead of waiting for a
     * timeout (WebSockets close with 1001, polls and streams are answered), waits up to
     * {@code graceMillis} for them to go, then stops the relay. The other nodes see this node's
     * clients leave after its beats stop, unless they have reconnected there by then.
     */
    public void stop(long graceMillis) {
        for (ClientSession session : sessions.all()) {
            Connection c = session.markClosed();
            if (c != null) {
                c.close(Connection.CloseReason.SHUTDOWN);
            }
        }
        long end = System.nanoTime() + graceMillis * 1_000_000;
        while (metrics.totalConnections() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        relay.stop();
    }

    public HubSettings settings() {
        return settings;
    }

    public HubMetrics metrics() {
        return metrics;
    }

    public boolean relayUp() {
        return relay.isUp();
    }

    public String relayDescription() {
        return relay.describe();
    }

    // ---------------------------------------------------------------- connecting

    /** What a transport asks for when a client connects (or polls again). */
    public record ConnectRequest(String client, String transport, List<String> channels, String since,
                                 boolean alwaysWelcome) {
    }

    /**
     * Connects a client: finds or creates its session, makes its subscriptions exactly
     * {@code request.channels()}, honours {@code since} (history after it, or a {@code reset}
     * per channel), queues a {@code welcome} when due, and attaches {@code connection}.
     */
    public ClientSession connect(ConnectRequest request, Connection connection) {
        if (request.channels().size() > settings.maxChannelsPerClient()) {
            throw Rejection.badRequest("at most " + settings.maxChannelsPerClient() + " channels per client");
        }
        String id = request.client() != null ? request.client() : EventIds.random(12);
        long now = clock.millis();
        var found = sessions.findOrCreate(id, key -> new ClientSession(key, request.transport(),
                settings.outboxSize(), now));
        ClientSession session = found.session();
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        boolean resumed;
        lock.lock();
        try {
            Map<String, String> subscribed = session.channels();
            for (String channel : List.copyOf(subscribed.keySet())) {
                if (!request.channels().contains(channel)) {
                    unsubscribeLocked(session, channel);
                    left.add(channel);
                }
            }
            for (String channel : request.channels()) {
                if (!subscribed.containsKey(channel)) {
                    subscribed.put(channel, request.transport());
                    channel(channel).subscribers.add(session);
                    joined.add(channel);
                }
            }
            resumed = request.since() != null && resumeLocked(session, request.since(), found.created());
            if (request.alwaysWelcome() || found.created()) {
                session.offerFirst(Event.welcome(id, settings.node(), request.transport(), resumed));
            }
        } finally {
            lock.unlock();
        }
        Connection replaced = session.attach(connection, now);
        if (replaced != null) {
            replaced.close(Connection.CloseReason.REPLACED);
        }
        left.forEach(channel -> announce(Event.LEAVE, channel, session.id(), request.transport()));
        joined.forEach(channel -> announce(Event.JOIN, channel, session.id(), request.transport()));
        session.wake();
        return session;
    }

    /**
     * Refills the outbox from history after {@code since}; queues a reset per channel when that is
     * impossible. Returns whether {@code since} was honoured.
     */
    private boolean resumeLocked(ClientSession session, String since, boolean created) {
        if (!created && (since.equals(session.lastDelivered()) || since.equals(session.resetSince()))) {
            // The outbox holds exactly what came after since (or after the reset already sent for it):
            // nothing to redo, and a client that keeps sending a since it was reset for loses nothing.
            return true;
        }
        Collection<String> names = session.channels().keySet();
        long from = -1;
        for (String name : names) {
            from = Math.max(from, channel(name).history.seqOf(since));
        }
        session.clearChannelEvents();
        boolean covered = from >= 0;
        for (String name : names) {
            covered &= channel(name).history.covers(from);
        }
        if (!covered) {
            names.forEach(name -> session.offer(Event.reset(name)));
            session.resetFor(since);
            return false;
        }
        var missed = new ArrayList<History.Entry>();
        for (String name : names) {
            channel(name).history.after(from, missed);
        }
        missed.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        for (History.Entry entry : missed) {
            if (!session.offer(entry.event())) {
                break; // more missed than the outbox holds: the overflow policy applies on the next delivery
            }
        }
        return true;
    }

    /** Adds one channel to a connected client's subscriptions (WebSocket {@code subscribe}). */
    public void subscribe(ClientSession session, String channel) {
        Names.channel(channel);
        boolean added;
        lock.lock();
        try {
            if (session.channels().size() >= settings.maxChannelsPerClient()
                    && !session.channels().containsKey(channel)) {
                throw Rejection.badRequest("at most " + settings.maxChannelsPerClient() + " channels per client");
            }
            added = session.channels().putIfAbsent(channel, session.transport()) == null;
            if (added) {
                channel(channel).subscribers.add(session);
            }
        } finally {
            lock.unlock();
        }
        if (added) {
            announce(Event.JOIN, channel, session.id(), session.transport());
        }
    }

    /** Removes one channel from a client's subscriptions (WebSocket {@code unsubscribe}). */
    public void unsubscribe(ClientSession session, String channel) {
        Names.channel(channel);
        boolean removed;
        lock.lock();
        try {
            removed = session.channels().containsKey(channel);
            unsubscribeLocked(session, channel);
        } finally {
            lock.unlock();
        }
        if (removed) {
            announce(Event.LEAVE, channel, session.id(), session.transport());
        }
    }

    private void unsubscribeLocked(ClientSession session, String channel) {
        session.channels().remove(channel);
        Channel ch = channels.get(channel);
        if (ch != null) {
            ch.subscribers.remove(session);
        }
    }

    /** The session of {@code client} on this node, or null. */
    public ClientSession session(String client) {
        return client == null ? null : sessions.get(client);
    }

    /** Queues a control event (ack, pong, error) for one client. */
    public void reply(ClientSession session, Event event) {
        if (session.offer(event)) {
            session.wake();
        } else {
            end(session, Connection.CloseReason.SLOW_CONSUMER, true);
        }
    }

    /**
     * Ends a session: closes its connection and, when {@code announce}, sends one {@code leave}
     * per channel. Safe to call twice; only the first call does anything.
     */
    public void end(ClientSession session, Connection.CloseReason reason, boolean announce) {
        if (session.isClosed()) {
            return;
        }
        Connection connection = session.markClosed();
        sessions.remove(session);
        Map<String, String> left;
        lock.lock();
        try {
            left = Map.copyOf(session.channels());
            for (String channel : left.keySet()) {
                unsubscribeLocked(session, channel);
            }
        } finally {
            lock.unlock();
        }
        if (reason == Connection.CloseReason.SLOW_CONSUMER) {
            metrics.slowConsumerDropped();
            LOG.fine(() -> "client " + session.id() + " dropped: outbox full");
        }
        if (connection != null) {
            connection.close(reason);
        }
        if (announce) {
            left.forEach((channel, transport) -> announce(Event.LEAVE, channel, session.id(), transport));
        }
    }

    /** Ends sessions idle past the timeout and retries presence events the relay refused. Call every second or so. */
    public void sweep() {
        long cutoff = clock.millis() - settings.sessionTimeoutMillis();
        for (ClientSession session : sessions.idleSince(cutoff)) {
            end(session, Connection.CloseReason.SESSION_ENDED, true);
        }
        presence.tick();
        publishers.forgetIdle(System.nanoTime());
        metrics.relayUp(relay.isUp());
    }

    private void announce(String type, String channel, String client, String transport) {
        presence.announce(type, channel, client, transport);
    }

    /** What this node's clients are subscribed to, for the roster other nodes ask for. */
    private List<Presence.Membership> localMembers() {
        var members = new ArrayList<Presence.Membership>();
        lock.lock();
        try {
            for (ClientSession session : sessions.all()) {
                session.channels().forEach((channel, transport) ->
                        members.add(new Presence.Membership(channel, session.id(), transport)));
            }
        } finally {
            lock.unlock();
        }
        return members;
    }

    // ---------------------------------------------------------------- publishing and delivery

    /**
     * Publishes {@code data} on {@code channel}: checks size and rate, stamps id and time, and
     * hands the event to the relay. {@code rateKey} names the publisher for the rate limit.
     */
    public Event publish(String from, String rateKey, String channel, JsonValue data) {
        Names.channel(channel);
        if (from != null) {
            Names.clientOrNull(from);
        }
        String encoded = JsonText.encode(data);
        if (encoded.length() > settings.maxEventBytes()
                || encoded.getBytes(StandardCharsets.UTF_8).length > settings.maxEventBytes()) {
            throw Rejection.tooLarge("data is larger than " + settings.maxEventBytes() + " bytes");
        }
        if (!publishers.tryAcquire(rateKey, System.nanoTime())) {
            throw new Rejection(Rejection.Code.RATE_LIMITED, "too many publishes; slow down");
        }
        if (!relay.isUp()) {
            throw Rejection.unavailable("relay is down; try again shortly");
        }
        Event event = Event.message(ids.next(), channel, from, clock.millis(), data, encoded);
        relay.send(event);
        metrics.published();
        return event;
    }

    @Override
    public void onEvent(Event event) {
        if (!event.isChannelEvent()) {
            presence.onControl(event);
            return;
        }
        long now = clock.millis();
        var woken = new ArrayList<ClientSession>();
        var overflowed = new ArrayList<ClientSession>();
        ClientSession movedAway = null;
        lock.lock();
        try {
            seq++;
            if (Event.JOIN.equals(event.type()) || Event.LEAVE.equals(event.type())) {
                presence.apply(event);
                movedAway = movedAway(event);
            }
            Channel channel = channel(event.channel());
            channel.history.add(seq, event, now);
            for (ClientSession session : channel.subscribers) {
                (session.offer(event) ? woken : overflowed).add(session);
            }
        } finally {
            lock.unlock();
        }
        woken.forEach(ClientSession::wake);
        overflowed.forEach(session -> end(session, Connection.CloseReason.SLOW_CONSUMER, true));
        if (movedAway != null) {
            end(movedAway, Connection.CloseReason.SESSION_ENDED, false);
        }
        if (ids.isOwn(event.id())) {
            metrics.relayRoundtrip(Math.max(0, now - event.ts()) / 1000.0);
        }
    }

    /** A client that joined on another node has moved there: its session here ends without a leave. */
    private ClientSession movedAway(Event event) {
        String node = event.presenceField("node");
        if (!Event.JOIN.equals(event.type()) || node == null || node.equals(settings.node())) {
            return null;
        }
        return sessions.get(event.presenceField("client"));
    }

    @Override
    public void onRelayState(boolean up) {
        metrics.relayUp(up);
        if (up) {
            presence.helloDue(); // joins and leaves may have been missed while it was down
        }
    }

    public List<Presence.Member> presence(String channel) {
        return presence.members(Names.channel(channel));
    }

    private Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> new Channel(n,
                new History(settings.historySize(), settings.historyAgeMillis(), settings.historyLimit())));
    }

    /** Sessions on this node (for the stats log and graceful shutdown). */
    public int sessionCount() {
        return sessions.size();
    }
}
