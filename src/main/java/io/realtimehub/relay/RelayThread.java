package io.realtimehub.relay;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns a relay's JMS connection: it connects, sends and closes, so no
 * request thread ever opens a connection or keeps the client library's thread-locals. Once it is
 * stopping, tasks handed to it are refused quietly ({@link #execute} says so).
 */
final class RelayThread {
    private final ScheduledExecutorService executor;

    RelayThread(String name) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code task} on the thread; false when the thread is stopping. */
    boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code task} after {@code delayMillis}, unless the thread is stopping by then. */
    void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Runs {@code task} every {@code periodMillis} until the thread stops. */
    void scheduleEvery(Runnable task, long periodMillis) {
        try {
            executor.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Takes no new tasks; what is queued still runs (scheduled retries are dropped). */
    void shutdown() {
        executor.shutdown();
    }

    /** Interrupts whatever runs and drops what waits. */
    void shutdownNow() {
        executor.shutdownNow();
    }

    /** Waits up to {@code millis} for the thread to end; true when it has. */
    boolean await(long millis) {
        try {
            return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
