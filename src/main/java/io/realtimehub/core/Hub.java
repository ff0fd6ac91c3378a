package io.realtimehub.core;

import jakarta.json.JsonValue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The hub: publishing sends to the relay; what the relay delivers is appended to its channel's
 * history and queued for each subscribed session, in relay order ({@link Channels}). Sessions
 * come and go here; presence is {@link ClusterPresence}'s. Knows nothing of HTTP or WebSocket.
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
    private final Publishing publishing;
    private final Channels channels;
    private final PresenceFanout fanout;
    private final SessionPresence members;
    private final Expiry expiring = new Expiry();
    private final SessionConnector connector;
    private static final long FORGET_INTERVAL_MILLIS = 60_000;
    private long lastForget; // timer thread only

    public Hub(HubSettings settings, Relay relay, HubMetrics metrics, Clock clock) {
        this.settings = settings;
        this.relay = relay;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = new EventIds(clock.millis());
        this.channels = new Channels(settings);
        this.fanout = new PresenceFanout(settings.presence(), channels);
        this.presence = new ClusterPresence(settings, relay, ids, clock, () -> channels.memberships(sessions.all()));
        this.members = new SessionPresence(settings.presence(), sessions, channels, presence);
        this.publishing = new Publishing(settings, relay, metrics, clock, ids);
        this.connector = new SessionConnector(settings, clock, sessions, channels, members, expiring);
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

    /**
     * Connects a client: finds or creates its session, makes its subscriptions exactly
     * {@code request.channels()}, honours {@code since} (history after it, or a {@code reset}
     * per channel), queues a {@code welcome} when due, and attaches {@code connection}.
     */
    public ClientSession connect(ConnectRequest request, Connection connection) {
        return connector.connect(request, connection);
    }

    /** Adds one channel to a connected client's subscriptions (WebSocket {@code subscribe}). */
    public void subscribe(ClientSession session, String channel) {
        session.grant().checkNotExpired(clock.millis());
        session.grant().checkSubscribe(Names.channel(channel));
        synchronized (session.presenceLock()) {
            if (channels.subscribe(session, Names.channel(channel))) {
                members.subscribed(session, channel);
            }
        }
    }

    /** Removes one channel from a client's subscriptions (WebSocket {@code unsubscribe}). */
    public void unsubscribe(ClientSession session, String channel) {
        synchronized (session.presenceLock()) {
            if (channels.unsubscribe(session, Names.channel(channel))) {
                members.unsubscribed(session, channel);
            }
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
     * per channel (unless it left already, after its grace). Safe to call twice; only the first
     * call does anything.
     */
    public void end(ClientSession session, Connection.CloseReason reason, boolean announce) {
        synchronized (session.presenceLock()) {
            if (!session.isClosed()) {
                members.ended(session, close(session, reason), announce);
            }
        }
    }

    /** Closes a session; returns what it was subscribed to. */
    private Map<String, String> close(ClientSession session, Connection.CloseReason reason) {
        Connection connection = session.markClosed();
        sessions.remove(session);
        Map<String, String> left = channels.unsubscribeAll(session);
        if (reason == Connection.CloseReason.SLOW_CONSUMER) {
            metrics.slowConsumerDropped();
            LOG.fine(() -> "client " + session.id() + " dropped: outbox full");
        }
        if (connection != null) {
            connection.close(reason);
        }
        return left;
    }

    /** Ends sessions idle past the timeout and retries presence events the relay refused. Call every second or so. */
    public void sweep() {
        try {
            sweepOnce();
        } catch (RuntimeException e) {
            // Never let it escape: a scheduled task that throws is never run again, and with it
            // would go beats, evictions and presence retries.
            LOG.log(java.util.logging.Level.WARNING, "sweep failed; next one in a second", e);
        }
    }

    private void sweepOnce() {
        long cutoff = clock.millis() - settings.sessionTimeoutMillis();
        for (ClientSession session : sessions.idleSince(cutoff)) {
            end(session, Connection.CloseReason.SESSION_ENDED, true);
        }
        long now = clock.millis();
        expiring.closeExpired(now);
        members.sweep(now);
        fanout.tick(now, presence::count).forEach(this::handle);
        presence.tick(relay.isUp());
        if (now - lastForget >= FORGET_INTERVAL_MILLIS) { // walks every channel: not every second
            lastForget = now;
            channels.forgetIdle(now);
        }
        publishing.forgetIdle();
        metrics.relayUp(relay.isUp());
    }

    // ---------------------------------------------------------------- publishing and delivery

    /**
     * Publishes {@code data} on {@code channel} as {@code grant} allows: checks permission, size and
     * rate, stamps id and time, and hands the event to the relay. {@code from} is the publisher's
     * client id (null: none); {@code rateKey} names the publisher for the rate limit. Throws
     * {@link Rejection} for what it refuses at once; the relay's answer comes with the publication.
     */
    public Publication publish(Grant grant, String from, String rateKey, String channel, JsonValue data) {
        grant.checkNotExpired(clock.millis());
        grant.checkPublish(Names.channel(channel));
        return publishing.publish(from, grant.rateLimited() ? rateKey : null, channel, data);
    }

    /** Publishes with every permission (tests, a hub without authentication). */
    public Publication publish(String from, String rateKey, String channel, JsonValue data) {
        return publish(Grant.open(from), from, rateKey, channel, data);
    }

    /**
     * An event a service sent straight to the relay's ingress ({@code {"channel","data","from"?}}):
     * validated as a publish is (no rate limit: the broker's own security admits such senders),
     * stamped with an id and the time here.
     */
    @Override
    public String admit(String body) {
        return publishing.admit(body);
    }

    @Override
    public void onEvent(Event event) {
        if (!event.isChannelEvent()) {
            presence.onControl(event);
            return;
        }
        long now = clock.millis();
        if (Event.JOIN.equals(event.type()) || Event.LEAVE.equals(event.type())) {
            Presence.Change change = presence.apply(event);
            ClientSession movedAway = sessions.movedAway(event, settings.node());
            // Tracked for /presence always; delivered only when enabled, visible and within the cap.
            if (settings.presenceEvents()) {
                handle(fanout.deliver(event, change, now));
            }
            if (movedAway != null) { // it joined on another node: its session here ends without a leave
                end(movedAway, Connection.CloseReason.SESSION_ENDED, false);
            }
            return;
        }
        handle(channels.deliver(event, now));
        if (ids.isOwn(event.id())) {
            metrics.relayRoundtrip(Math.max(0, now - event.ts()) / 1000.0);
        }
    }

    private void handle(Channels.Delivery delivery) {
        if (delivery != null) {
            delivery.woken().forEach(ClientSession::wakeQueued);
            delivery.overflowed().forEach(session -> end(session, Connection.CloseReason.SLOW_CONSUMER, true));
        }
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

    /** Up to {@code limit} members of {@code channel} after client id {@code after} (null: the first). */
    public Presence.Page presence(String channel, String after, int limit) {
        return presence.page(Names.channel(channel), after == null ? null : Names.clientOrNull(after), limit);
    }

    /** Channels held on this node (for tests). */
    int channelCount() {
        return channels.size();
    }

    /** Sessions on this node (for the stats log and graceful shutdown). */
    public int sessionCount() {
        return sessions.size();
    }
}
