package io.realtimehub.core;

import java.util.Map;

/**
 * The joins and leaves of this node's own sessions. Each change is announced once, in order per
 * session: callers hold the session's {@link ClientSession#presenceLock()}. A session whose
 * connection ended and that did not come back within the grace (a long-poll: its poll timeout
 * plus the grace) leaves, and joins again if it comes back later. Its outbox is kept for a resume
 * until the session timeout all the same: that is not presence's business.
 */
final class SessionPresence {
    private final PresenceSettings settings;
    private final SessionRegistry sessions;
    private final Channels channels;
    private final ClusterPresence presence;

    SessionPresence(PresenceSettings settings, SessionRegistry sessions, Channels channels, ClusterPresence presence) {
        this.settings = settings;
        this.sessions = sessions;
        this.channels = channels;
        this.presence = presence;
    }

    /** After a connect: announces what it changed, or, for a session back after its leave, every channel it is on. */
    void connected(ClientSession session, Channels.Change change, String transport) {
        if (session.present()) {
            change.left().forEach(channel -> announce(Event.LEAVE, channel, session, transport));
            change.joined().forEach(channel -> announce(Event.JOIN, channel, session, transport));
        } else {
            session.present(true);
            channels.subscriptions(session).forEach((channel, t) -> announce(Event.JOIN, channel, session, t));
        }
    }

    void subscribed(ClientSession session, String channel) {
        if (session.present()) {
            announce(Event.JOIN, channel, session, session.transport());
        }
    }

    void unsubscribed(ClientSession session, String channel) {
        if (session.present()) {
            announce(Event.LEAVE, channel, session, session.transport());
        }
    }

    /** A session ended, having been on {@code left} (channel to transport). */
    void ended(ClientSession session, Map<String, String> left, boolean announce) {
        if (announce && session.present()) {
            left.forEach((channel, transport) -> announce(Event.LEAVE, channel, session, transport));
        }
        session.present(false);
    }

    /** Leaves for the sessions whose grace ran out. Call every second or so. */
    void sweep(long now) {
        long grace = settings.graceMillis();
        for (ClientSession session : sessions.all()) {
            if (!session.leaveDue(now, grace)) {
                continue;
            }
            synchronized (session.presenceLock()) {
                if (session.leaveDue(now, grace)) { // it may have come back meanwhile
                    session.present(false);
                    channels.subscriptions(session).forEach((channel, transport) ->
                            announce(Event.LEAVE, channel, session, transport));
                }
            }
        }
    }

    private void announce(String type, String channel, ClientSession session, String transport) {
        presence.announce(type, channel, session.id(), transport);
    }
}
