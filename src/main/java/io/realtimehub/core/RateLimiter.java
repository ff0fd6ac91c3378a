package io.realtimehub.core;

/** A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up. */
final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = nowNanos;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    synchronized boolean idleSince(long cutoffNanos) {
        return last - cutoffNanos < 0;
    }
}
