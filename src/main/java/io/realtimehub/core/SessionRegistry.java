package io.realtimehub.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The client sessions of this node, by client id. */
final class SessionRegistry {
    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();

    /** The open session of {@code id}, or null. */
    ClientSession get(String id) {
        ClientSession session = sessions.get(id);
        return session == null || session.isClosed() ? null : session;
    }

    /** Finds the session of {@code id} or creates it with {@code factory}; the flag says which. */
    record Found(ClientSession session, boolean created) {
    }

    Found findOrCreate(String id, java.util.function.Function<String, ClientSession> factory) {
        boolean[] created = {false};
        ClientSession session = sessions.compute(id, (key, existing) -> {
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            created[0] = true;
            return factory.apply(key);
        });
        return new Found(session, created[0]);
    }

    void remove(ClientSession session) {
        sessions.remove(session.id(), session);
    }

    /** Sessions with no connection attached since before {@code cutoff}. */
    List<ClientSession> idleSince(long cutoff) {
        var idle = new ArrayList<ClientSession>();
        for (ClientSession session : sessions.values()) {
            if (session.idleSince(cutoff)) {
                idle.add(session);
            }
        }
        return idle;
    }

    Collection<ClientSession> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    /** The session here of a client whose {@code join} says it joined on another node than {@code thisNode}, or null. */
    ClientSession movedAway(Event join, String thisNode) {
        String node = join.presenceField("node");
        if (!Event.JOIN.equals(join.type()) || node == null || node.equals(thisNode)) {
            return null;
        }
        return get(join.presenceField("client"));
    }
}
