package io.realtimehub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A relay for unit tests of the core: holds sent events until {@link #flush()} hands them back in
 * order, on the caller's thread, so tests control exactly when delivery happens. Several hubs may
 * share one, as nodes share a topic.
 */
final class TestRelay implements Relay {
    private final List<Event> pending = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    boolean up = true;

    @Override
    public void start(Listener listener) {
        listeners.add(listener);
    }

    /** A node that died: it hears nothing more. */
    void detach(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized CompletionStage<Void> send(Event event) {
        if (!up) {
            return CompletableFuture.failedFuture(Rejection.unavailable("test relay down"));
        }
        pending.add(event);
        return CompletableFuture.completedStage(null);
    }

    /** Delivers everything sent so far, in order, to every listener; and what that caused, until nothing is left. */
    void flush() {
        while (true) {
            List<Event> batch;
            synchronized (this) {
                batch = new ArrayList<>(pending);
                pending.clear();
            }
            if (batch.isEmpty()) {
                return;
            }
            for (Event event : batch) {
                List.copyOf(listeners).forEach(listener -> listener.onEvent(event));
            }
        }
    }

    synchronized List<Event> pending() {
        return List.copyOf(pending);
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public String describe() {
        return "test";
    }

    @Override
    public void stop() {
    }
}
