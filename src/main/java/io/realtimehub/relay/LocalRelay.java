package io.realtimehub.relay;

import io.realtimehub.core.Event;
import io.realtimehub.core.Rejection;
import io.realtimehub.core.Relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The single-node relay: hands every event back to this node on one thread, in send order.
 * Delivery never runs on the publisher's thread, so publishing never waits for fan-out.
 */
public final class LocalRelay implements Relay {
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hub-local-relay");
        thread.setDaemon(true);
        return thread;
    });
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);
    private volatile Listener listener;

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        listener.onRelayState(true);
    }

    @Override
    public CompletionStage<Void> send(Event event) {
        Listener target = listener;
        if (target == null) {
            return CompletableFuture.failedFuture(Rejection.unavailable("relay not started"));
        }
        try {
            delivery.execute(() -> target.onEvent(event));
            return DONE;
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(Rejection.unavailable("relay stopped"));
        }
    }

    @Override
    public boolean isUp() {
        return listener != null && !delivery.isShutdown();
    }

    @Override
    public String describe() {
        return "local (single node)";
    }

    @Override
    public void stop() {
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
