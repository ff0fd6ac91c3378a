package io.realtimehub.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A publish rate limit per publisher (token bucket), forgotten once a publisher is idle. */
final class Publishers {
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final double rate;
    private final double burst;
    private final ConcurrentHashMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    Publishers(double rate, double burst) {
        this.rate = rate;
        this.burst = burst;
    }

    boolean tryAcquire(String key, long nowNanos) {
        return limiters.computeIfAbsent(key, k -> new RateLimiter(rate, burst, nowNanos)).tryAcquire(nowNanos);
    }

    void forgetIdle(long nowNanos) {
        limiters.values().removeIf(limiter -> limiter.idleSince(nowNanos - IDLE_NANOS));
    }
}
