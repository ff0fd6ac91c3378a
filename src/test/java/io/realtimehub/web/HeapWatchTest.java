package io.realtimehub.web;

import org.junit.jupiter.api.Test;

import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapWatchTest {
    private static final long MB = 1 << 20;
    private final AtomicLong oldAfterGc = new AtomicLong(100 * MB);
    private final AtomicLong edenAfterGc = new AtomicLong(900 * MB);
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger gcs = new AtomicInteger();

    private HeapWatch watch(int percent) {
        return new HeapWatch(List.of(pool("G1 Eden Space", edenAfterGc), pool("G1 Old Gen", oldAfterGc),
                pool("Metaspace", edenAfterGc)), 1000 * MB, percent, 30_000, gcs::incrementAndGet, now::get);
    }

    @Test
    void shortWhenTheOldGenerationHoldsMoreThanThePercentAfterItsLastCollection() {
        HeapWatch watch = watch(80);
        assertTrue(watch.watching());
        assertFalse(watch.getAsBoolean(), "eden's and non-heap usage do not count");
        oldAfterGc.set(790 * MB);
        assertFalse(watch.getAsBoolean());
        oldAfterGc.set(810 * MB);
        assertTrue(watch.getAsBoolean());
        oldAfterGc.set(300 * MB); // the next collection found less alive
        assertFalse(watch.getAsBoolean());
    }

    @Test
    void asksForACollectionOnlyWhenShortAndNoneCameForAWhile() {
        HeapWatch watch = watch(80);
        oldAfterGc.set(900 * MB);
        for (int s = 0; s <= 29; s++) {
            now.set(s * 1000L);
            watch.tick();
        }
        assertEquals(0, gcs.get());
        now.set(30_000);
        watch.tick();
        assertEquals(1, gcs.get());
        now.set(31_000);
        watch.tick();
        assertEquals(1, gcs.get(), "at most one per 30 s");
        oldAfterGc.set(200 * MB); // collected: recovered, no more nudges
        for (int s = 32; s < 120; s++) {
            now.set(s * 1000L);
            watch.tick();
        }
        assertEquals(1, gcs.get());
    }

    @Test
    void aCollectionThatStillFindsTheHeapFullPostponesTheNudge() {
        HeapWatch watch = watch(80);
        oldAfterGc.set(900 * MB);
        for (int s = 0; s < 100; s++) {
            now.set(s * 1000L);
            oldAfterGc.set((900 + s % 2) * MB); // the collector keeps collecting, and it stays full
            watch.tick();
        }
        assertEquals(0, gcs.get());
    }

    @Test
    void hundredPercentSwitchesTheWatchOff() {
        HeapWatch watch = watch(100);
        oldAfterGc.set(1000 * MB);
        assertFalse(watch.watching());
        assertFalse(watch.getAsBoolean());
    }

    private static MemoryPoolMXBean pool(String name, AtomicLong afterGc) {
        MemoryType type = name.equals("Metaspace") ? MemoryType.NON_HEAP : MemoryType.HEAP;
        return (MemoryPoolMXBean) Proxy.newProxyInstance(HeapWatchTest.class.getClassLoader(),
                new Class<?>[]{MemoryPoolMXBean.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getType" -> type;
                    case "isCollectionUsageThresholdSupported" -> type == MemoryType.HEAP;
                    case "getCollectionUsage" -> new MemoryUsage(0, afterGc.get(), afterGc.get(), -1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
