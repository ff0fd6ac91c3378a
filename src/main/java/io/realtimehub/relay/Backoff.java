package io.realtimehub.relay;

import java.util.function.LongSupplier;

/**
 * When the relay tries to connect again. Every {@value #FAST_MILLIS} ms for the first
 * {@value #FAST_WINDOW_MILLIS} ms after the link was lost (or the relay started), then doubling up
 * to {@value #MAX_MILLIS} ms. The fast window is where a backup broker takes over (measured 0.8 to
 * 4.7 s from the live broker's death to the backup's acceptor, 2026-12-03, 2 cores) and where a
 * restarted broker comes back (6 to 9 s): a try that finds its port closed costs one refused
 * connect per broker address, so trying often there is cheap, while each 500 ms between tries cost
 * 250 ms of refused publishes on average. Used on the relay thread only.
 */
final class Backoff {
    static final long FAST_MILLIS = 100;
    static final long FAST_WINDOW_MILLIS = 10_000;
    static final long MAX_MILLIS = 500;

    private final LongSupplier clockMillis;
    private long since;
    private long delay = FAST_MILLIS;
    private int failed;

    Backoff() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    Backoff(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.since = clockMillis.getAsLong();
    }

    /** The link was lost, or is up again: the next outage starts with fast tries. */
    void reset() {
        since = clockMillis.getAsLong();
        delay = FAST_MILLIS;
        failed = 0;
    }

    /** For the log line of a successful try: e.g. "1234 ms after the loss, 5 tries" ({@code lost}: after a loss, not at start). */
    String outage(boolean lost) {
        int tries = failed + 1;
        return (lost ? clockMillis.getAsLong() - since + " ms after the loss, " : "") + tries + (tries == 1 ? " try" : " tries");
    }

    /** The delay before the next try, after one failed. */
    long next() {
        failed++;
        if (clockMillis.getAsLong() - since < FAST_WINDOW_MILLIS) {
            return FAST_MILLIS;
        }
        long now = delay;
        delay = Math.min(delay * 2, MAX_MILLIS);
        return now;
    }
}
