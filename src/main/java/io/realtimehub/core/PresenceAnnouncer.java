package io.realtimehub.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Sends join/leave events to the relay. While the relay is down they wait here and are retried,
 * in order, so every node still sees exactly one join and one leave.
 */
final class PresenceAnnouncer {
    private static final Logger LOG = Logger.getLogger(PresenceAnnouncer.class.getName());
    private static final int MAX_WAITING = 100_000;

    private final Relay relay;
    private final ConcurrentLinkedQueue<Event> waiting = new ConcurrentLinkedQueue<>();

    PresenceAnnouncer(Relay relay) {
        this.relay = relay;
    }

    void send(Event event) {
        if (waiting.isEmpty() && trySend(event)) {
            return;
        }
        if (waiting.size() < MAX_WAITING) {
            waiting.add(event);
        } else {
            LOG.warning("relay down too long: presence event dropped for " + event.presenceField("client"));
        }
    }

    /** Sends a message that is only useful now (a beat, a hello): if the relay is down, it is dropped. */
    boolean sendOnce(Event event) {
        return trySend(event);
    }

    /** Sends what waits, oldest first, until the relay refuses again. */
    synchronized void retry() {
        Event event;
        while ((event = waiting.peek()) != null && trySend(event)) {
            waiting.poll();
        }
    }

    private boolean trySend(Event event) {
        try {
            relay.send(event);
            return true;
        } catch (Rejection e) {
            return false;
        } catch (RuntimeException e) { // a relay's unexpected failure: treated as "down", retried
            LOG.log(java.util.logging.Level.WARNING, "relay failed to take a presence event", e);
            return false;
        }
    }
}
