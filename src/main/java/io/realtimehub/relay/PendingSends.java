package io.realtimehub.relay;

import io.realtimehub.core.Rejection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends the broker has not confirmed yet, oldest first. A send that waits longer than the
 * timeout is failed with {@code unavailable}, so a publisher is always answered, even if a
 * confirmation never comes (the event may still arrive: the publisher was told to retry, and
 * nodes drop repeats by id). Sends are confirmed in order, so a sweep looks at the oldest only.
 */
final class PendingSends {
    private record Pending(CompletableFuture<Void> done, long deadline) {
    }

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;

    PendingSends(long timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000;
    }

    /** A send begins now: the returned future completes when it is confirmed, failed or timed out. */
    CompletableFuture<Void> begin() {
        var done = new CompletableFuture<Void>();
        queue.add(new Pending(done, System.nanoTime() + timeoutNanos));
        return done;
    }

    /** Forgets finished sends and fails the ones past their deadline. Any thread, cheap. */
    void sweep() {
        long now = System.nanoTime();
        Pending head;
        while ((head = queue.peek()) != null) {
            if (!head.done.isDone() && now - head.deadline < 0) {
                return; // the oldest still has time: so do all after it
            }
            queue.poll();
            head.done.completeExceptionally(Rejection.unavailable("relay send timed out; try again shortly"));
        }
    }

    /** Fails every send still waiting (the relay stops). */
    void failAll(String reason) {
        Pending head;
        while ((head = queue.poll()) != null) {
            head.done.completeExceptionally(Rejection.unavailable(reason));
        }
    }
}
