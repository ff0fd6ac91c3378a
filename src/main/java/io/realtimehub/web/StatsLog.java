package io.realtimehub.web;

import io.realtimehub.core.Hub;
import io.realtimehub.core.HubMetrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.logging.Logger;

/** One log line every interval with connection counts by transport and heap use, as the study's servers had. */
final class StatsLog implements Runnable {
    private static final Logger LOG = Logger.getLogger("io.realtimehub.stats");

    private final Hub hub;

    StatsLog(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void run() {
        LOG.info(line());
    }

    String line() {
        var out = new StringBuilder("node ").append(hub.settings().node()).append(" connections");
        int total = 0;
        for (String transport : HubMetrics.TRANSPORTS) {
            int count = hub.metrics().connections(transport);
            total += count;
            out.append(' ').append(transport).append('=').append(count);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return out.append(" total=").append(total)
                .append(" sessions=").append(hub.sessionCount())
                .append(" heap=").append(heap.getUsed() >> 20).append('/').append(Math.max(0, heap.getMax()) >> 20).append("MB")
                .append(" relay=").append(hub.relayUp() ? "UP" : "DOWN")
                .toString();
    }
}
