package io.realtimehub.core;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions whose credential expires (a token with {@code exp}). When it does, their connection is
 * closed with {@link Connection.CloseReason#EXPIRED}; the session stays, so a client that comes
 * back with a fresh token within the session timeout resumes without loss. Only sessions with an
 * expiry are walked, from the sweep.
 */
final class Expiry {
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    /** Watches {@code session} while its current grant expires. */
    void track(ClientSession session) {
        if (session.grant().expiresAtMillis() > 0) {
            sessions.add(session);
        } else {
            sessions.remove(session);
        }
    }

    /** Closes the connections whose credential expired by {@code now}; forgets ended sessions. */
    void closeExpired(long now) {
        for (Iterator<ClientSession> it = sessions.iterator(); it.hasNext(); ) {
            ClientSession session = it.next();
            if (session.isClosed()) {
                it.remove();
            } else if (session.grant().expired(now)) {
                it.remove();
                Connection connection = session.connection();
                if (connection != null) {
                    connection.close(Connection.CloseReason.EXPIRED);
                }
            }
        }
    }
}
