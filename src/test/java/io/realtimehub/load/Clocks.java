package io.realtimehub.load;

import java.time.Clock;
import java.time.Instant;

/** Wall-clock microseconds: publisher and subscribers may be different processes on this machine. */
final class Clocks {
    private static final Clock CLOCK = Clock.systemUTC();

    private Clocks() {
    }

    static long micros() {
        Instant now = CLOCK.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
