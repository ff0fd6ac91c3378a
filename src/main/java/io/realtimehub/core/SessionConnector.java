package io.realtimehub.core;

import java.time.Clock;

/**
 * Connecting a client to its session: find or make it, make its subscriptions what the request
 * names, honour {@code since}, queue the welcome, attach the new connection and close the one it
 * replaces. All of it under the session's presence lock, which ending a session takes too, so a
 * connect never lands on a session the sweep has just ended.
 */
final class SessionConnector {
    private final HubSettings settings;
    private final Clock clock;
    private final SessionRegistry sessions;
    private final Channels channels;
    private final SessionPresence members;
    private final Expiry expiring;

    SessionConnector(HubSettings settings, Clock clock, SessionRegistry sessions, Channels channels,
                     SessionPresence members, Expiry expiring) {
        this.settings = settings;
        this.clock = clock;
        this.sessions = sessions;
        this.channels = channels;
        this.members = members;
        this.expiring = expiring;
    }

    ClientSession connect(ConnectRequest request, Connection connection) {
        if (request.channels().size() > settings.maxChannelsPerClient()) {
            throw Rejection.badRequest("at most " + settings.maxChannelsPerClient() + " channels per client");
        }
        request.checkAllowed();
        String id = request.client() != null ? request.client() : EventIds.random(12);
        while (true) {
            ClientSession session = connectTo(id, request, connection);
            if (session != null) {
                session.wake();
                return session;
            } // the sweep ended the session found while this connect was on its way: a new one
        }
    }

    /** Connects to the session of {@code id}, found or made; null when it was ended meanwhile. */
    private ClientSession connectTo(String id, ConnectRequest request, Connection connection) {
        long now = clock.millis();
        var found = sessions.findOrCreate(id, key -> new ClientSession(key, request.transport(),
                settings.outboxSize(), now));
        ClientSession session = found.session();
        synchronized (session.presenceLock()) {
            if (session.isClosed()) {
                return null; // a connection attached to it now would be fed nothing, and never closed
            }
            session.grant(request.grant());
            expiring.track(session);
            String since = request.since();
            boolean welcome = request.alwaysWelcome() || found.created();
            if (!welcome && since == null && session.welcomeCursor() != null && session.lastDelivered() == null) {
                // A poll without since on a session that was never given a channel event: its client
                // never read the welcome (v2 clients send its cursor back), e.g. because the answer that
                // carried it was cut. Welcome it again, from the same cursor: nothing is lost or repeated.
                since = session.welcomeCursor();
                welcome = true;
            }
            // The connection being replaced (a poll or a socket its client has left) takes nothing
            // more from the outbox: the welcome and what since refills are the new connection's.
            // (It used to stay attached until after the refill, and could write both to a client
            // that was gone; the next since then matched and the refill was never redone.)
            Connection replaced = session.connection();
            if (replaced != null) {
                session.detach(replaced, now);
            }
            Channels.Change change = channels.connect(session, request.channels(), request.transport(),
                    since, found.created(), welcome);
            session.attach(connection, now);
            if (replaced != null && replaced != connection) {
                replaced.close(Connection.CloseReason.REPLACED);
            }
            members.connected(session, change, request.transport());
        }
        return session;
    }
}
