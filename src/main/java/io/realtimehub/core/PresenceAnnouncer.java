package io.realtimehub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends join/leave events to the relay without waiting for it: the calling thread (a delivery,
 * a request, the timer) never blocks on the broker. A send the relay refuses waits here, and
 * from then on so does every later one, until {@link #retry} sends them again in their original
 * order; so every node still sees exactly one join and one leave (a repeat of an event that did
 * get through is dropped by id on delivery).
 */
final class PresenceAnnouncer {
    private static final Logger LOG = Logger.getLogger(PresenceAnnouncer.class.getName());
    private static final int MAX_WAITING = 100_000;

    private record Pending(long order, Event event) {
    }

    private final Relay relay;
    private final PriorityQueue<Pending> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.order, b.order)); // guarded by this
    private long nextOrder; // guarded by this
    private boolean stalled; // a send failed: later ones wait for retry(); guarded by this

    PresenceAnnouncer(Relay relay) {
        this.relay = relay;
    }

    void send(Event event) {
        Pending pending;
        synchronized (this) {
            pending = new Pending(nextOrder++, event);
            if (stalled) {
                hold(pending);
                return;
            }
        }
        dispatch(pending);
    }

    /** Sends a message that is only useful now (a beat, a hello): if the relay refuses it, it is dropped. */
    CompletionStage<Void> sendOnce(Event event) {
        try {
            return relay.send(event);
        } catch (RuntimeException e) { // a relay's unexpected failure
            LOG.log(Level.WARNING, "relay failed to take a node message", e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends what waits, oldest first. */
    void retry() {
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            if (!stalled) {
                return;
            }
            stalled = false;
            Pending p;
            while ((p = waiting.poll()) != null) {
                batch.add(p);
            }
        }
        batch.forEach(this::dispatch);
    }

    private void dispatch(Pending pending) {
        CompletionStage<Void> sent;
        try {
            sent = relay.send(pending.event);
        } catch (RuntimeException e) { // a relay's unexpected failure: treated as "down", retried
            LOG.log(Level.WARNING, "relay failed to take a presence event", e);
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    stalled = true;
                    hold(pending);
                }
            }
        });
    }

    private void hold(Pending pending) {
        if (waiting.size() < MAX_WAITING) {
            waiting.add(pending);
        } else {
            LOG.warning("relay down too long: presence event dropped for " + pending.event.presenceField("client"));
        }
    }
}
