package io.realtimehub.relay;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpenStepsTest {
    @Test
    void saysHowLongEachStepAndTheWholeTook() {
        var nanos = new AtomicLong(5_000_000_000L);
        var steps = new OpenSteps(nanos::get);
        nanos.addAndGet(300_400_000);
        steps.done("connection");
        nanos.addAndGet(12_000_000);
        steps.done("durable subscription");
        assertEquals(312, steps.totalMillis());
        assertEquals("in 312 ms (connection 300, durable subscription 12)", steps.toString());
    }

    @Test
    void aTryThatFailedAtOnceHasNoSteps() {
        assertEquals("in 0 ms ()", new OpenSteps(() -> 7).toString());
    }
}
