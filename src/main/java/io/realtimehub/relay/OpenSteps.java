package io.realtimehub.relay;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How long each step of opening a link took, for the one line a (re)connect logs: a takeover by
 * the backup broker is measured step by step (connection, sessions, durable subscription,
 * consumers) without a log line per step. Used on the relay thread only.
 */
final class OpenSteps {
    private final LongSupplier nanoClock;
    private final long start;
    private final StringBuilder steps = new StringBuilder();
    private long last;

    OpenSteps() {
        this(System::nanoTime);
    }

    OpenSteps(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.last = start;
    }

    /** The step {@code name} ends now (it began where the previous one ended). */
    void done(String name) {
        long now = nanoClock.getAsLong();
        steps.append(steps.isEmpty() ? "" : ", ").append(name).append(' ').append(millis(now - last));
        last = now;
    }

    long totalMillis() {
        return millis(last - start);
    }

    /** e.g. {@code "in 812 ms (connection 300, consumer connection 200, ...)"}. */
    @Override
    public String toString() {
        return "in " + totalMillis() + " ms (" + steps + ")";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
