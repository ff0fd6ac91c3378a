package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    @Test
    void allowsTheBurstThenTheRate() {
        long t = 0;
        var limiter = new RateLimiter(10, 3, t);
        assertTrue(limiter.tryAcquire(t));
        assertTrue(limiter.tryAcquire(t));
        assertTrue(limiter.tryAcquire(t));
        assertFalse(limiter.tryAcquire(t));
        assertFalse(limiter.tryAcquire(t + 50_000_000)); // half a token after 50 ms
        assertTrue(limiter.tryAcquire(t + 100_000_000));
        assertFalse(limiter.tryAcquire(t + 100_000_000));
    }

    @Test
    void savesUpNoMoreThanTheBurst() {
        var limiter = new RateLimiter(10, 2, 0);
        long later = 10_000_000_000L;
        assertTrue(limiter.tryAcquire(later));
        assertTrue(limiter.tryAcquire(later));
        assertFalse(limiter.tryAcquire(later));
    }
}
