package io.realtimehub.web;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Whether the heap is short: the long-lived pool (old or tenured generation) still holds more
 * than {@code percent} of the heap after its last collection. That is what live data is, so
 * garbage waiting for the next collection does not count, and reading it costs no GC and no
 * walk: the JVM keeps each pool's usage after its last collection. {@link #tick} (every second
 * on the hub's timer) logs each change once, and while the heap stays short with no new
 * collection of that pool for {@code staleMillis} (a collector that only collects the old
 * generation when it is full), asks for one, so that a node which shed its clients admits new
 * ones again.
 */
final class HeapWatch implements BooleanSupplier {
    private static final Logger LOG = Logger.getLogger(HeapWatch.class.getName());

    private final List<MemoryPoolMXBean> pools;
    private final long limitBytes;
    private final int percent;
    private final long staleMillis;
    private final Runnable gc;
    private final LongSupplier clock;
    private boolean wasShort; // timer thread only
    private long shortSince;
    private long lastCollectionUsed = -1;
    private long lastNudge;

    HeapWatch(List<MemoryPoolMXBean> pools, long heapMaxBytes, int percent, long staleMillis, Runnable gc,
              LongSupplier clock) {
        this.percent = percent;
        this.pools = percent >= 100 || heapMaxBytes <= 0 ? List.of()
                : pools.stream().filter(HeapWatch::longLived).toList();
        this.limitBytes = heapMaxBytes / 100 * percent;
        this.staleMillis = staleMillis;
        this.gc = gc;
        this.clock = clock;
    }

    /** The JVM's own pools; {@code percent} 100 switches the watch off. */
    static HeapWatch platform(int percent) {
        return new HeapWatch(ManagementFactory.getMemoryPoolMXBeans(), Runtime.getRuntime().maxMemory(), percent,
                30_000, System::gc, System::currentTimeMillis);
    }

    /** Old generation of G1, Parallel, Serial and CMS ("G1 Old Gen", "PS Old Gen", "Tenured Gen", ...). */
    private static boolean longLived(MemoryPoolMXBean pool) {
        String name = pool.getName();
        return pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                && (name.contains("Old Gen") || name.contains("Tenured"));
    }

    boolean watching() {
        return !pools.isEmpty();
    }

    @Override
    public boolean getAsBoolean() {
        return collectionUsed() > limitBytes;
    }

    private long collectionUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage usage = pool.getCollectionUsage();
            used += usage == null ? 0 : usage.getUsed();
        }
        return used;
    }

    /** Call every second or so from one thread. */
    void tick() {
        if (pools.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        long used = collectionUsed();
        boolean isShort = used > limitBytes;
        if (isShort != wasShort) {
            wasShort = isShort;
            shortSince = now;
            LOG.info(() -> (isShort ? "heap short: " : "heap recovered: ") + (used >> 20) + " MB live after GC (limit "
                    + (limitBytes >> 20) + " MB, " + percent + "% of the heap); "
                    + (isShort ? "refusing new clients" : "admitting new clients again"));
        }
        if (used != lastCollectionUsed) {
            lastCollectionUsed = used;
            shortSince = now;
        } else if (isShort && now - shortSince >= staleMillis && now - lastNudge >= staleMillis) {
            lastNudge = now;
            gc.run(); // no collection of the old generation for a while: find out what still lives
        }
    }
}
