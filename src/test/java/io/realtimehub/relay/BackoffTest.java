package io.realtimehub.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Backoff backoff = new Backoff(now::get);

    @Test
    void triesEvery100MsWhileABackupMayBeTakingOver() {
        for (int i = 0; i < 99; i++) {
            assertEquals(100, backoff.next());
            now.addAndGet(100);
        }
    }

    @Test
    void thenDoublesUpTo500Ms() {
        now.addAndGet(Backoff.FAST_WINDOW_MILLIS);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(backoff.next());
        }
        assertEquals(List.of(100L, 200L, 400L, 500L, 500L), delays);
    }

    @Test
    void aResetStartsTheFastWindowAgain() {
        now.addAndGet(Backoff.FAST_WINDOW_MILLIS + 1);
        backoff.next();
        backoff.next();
        backoff.reset();
        assertEquals(100, backoff.next());
        now.addAndGet(Backoff.FAST_WINDOW_MILLIS);
        assertEquals(100, backoff.next(), "the doubling starts over too");
        assertEquals(200, backoff.next());
    }

    @Test
    void saysHowLongTheOutageLastedAndHowManyTriesItTook() {
        backoff.reset();
        backoff.next();
        backoff.next();
        now.addAndGet(1234);
        assertEquals("1234 ms after the loss, 3 tries", backoff.outage(true));
        assertEquals("3 tries", backoff.outage(false));
        backoff.reset();
        assertEquals("1 try", backoff.outage(false));
    }
}
