package io.realtimehub.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A relay for unit tests of the core: holds sent events until {@link #flush()} hands them back in
 * order, on the caller's thread, so tests control exactly when delivery happens.
 */
final class TestRelay implements Relay {
    private final List<Event> pending = new ArrayList<>();
    private Listener listener;
    boolean up = true;

    @Override
    public void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized void send(Event event) {
        if (!up) {
            throw Rejection.unavailable("test relay down");
        }
        pending.add(event);
    }

    /** Delivers everything sent so far, in order. */
    void flush() {
        List<Event> batch;
        synchronized (this) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        batch.forEach(listener::onEvent);
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
