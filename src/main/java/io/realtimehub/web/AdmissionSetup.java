package io.realtimehub.web;

import io.realtimehub.core.Admission;
import io.realtimehub.core.Hub;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the node's {@link Admission} from {@code hub.admission.*}. The default budget is derived
 * from what the container and the JVM allow: the connector's {@code maxConnections} (read from
 * Tomcat's JMX beans; a client past it would hang in the accept queue instead of being refused,
 * so some room is kept for publishes, health checks and the refusals themselves) and the heap
 * (its admission share divided by what one idle WebSocket costs with the container's buffers).
 */
final class AdmissionSetup {
    private static final Logger LOG = Logger.getLogger(AdmissionSetup.class.getName());
    /** Tomcat's size of three buffers per WebSocket session, a JVM-wide system property (8192 unset). */
    static final String TOMCAT_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    record Budget(int maxClients, String derivedFrom) {
    }

    private AdmissionSetup() {
    }

    static Admission create(WebSettings web, Hub hub, HeapWatch heap) {
        Budget budget = web.admissionMaxClients() >= 0 ? new Budget(web.admissionMaxClients(), "hub.admission.maxClients")
                : derive(connectorMaxConnections(), Runtime.getRuntime().maxMemory(), web.admissionHeapPercent(),
                bytesPerClient(tomcatBufferSize()));
        LOG.info(() -> "admission: at most " + (budget.maxClients() == 0 ? "unlimited" : budget.maxClients())
                + " clients (" + budget.derivedFrom() + "), new clients refused while the old generation holds more than "
                + web.admissionHeapPercent() + "% of the heap after GC" + (heap.watching() ? "" : " (off)")
                + ", Retry-After " + web.admissionRetryAfterSeconds() + " s");
        if (tomcatBufferSize() > 1024 && isTomcat()) {
            LOG.info(() -> "Tomcat's WebSocket buffers are " + tomcatBufferSize() + " bytes (3 per connection): -D"
                    + TOMCAT_BUFFER_PROPERTY + "=512 saves about " + (3 * (tomcatBufferSize() - 512) >> 10)
                    + " KB of heap per connection (README, Capacity)");
        }
        return new Admission(budget.maxClients(), web.admissionRetryAfterSeconds(), hub::sessionCount, heap);
    }

    /**
     * The smaller of: the connector's limit less 2.5% (at least 100) for everything else, and the
     * heap's admission share (less a 64 MB base) over the cost of one client.
     */
    static Budget derive(int maxConnections, long heapMaxBytes, int heapPercent, long bytesPerClient) {
        long byConnections = maxConnections > 0 ? Math.max(1, maxConnections - Math.max(100, maxConnections / 40)) : Long.MAX_VALUE;
        long share = heapMaxBytes / 100 * Math.min(heapPercent, 100) - (64L << 20);
        long byHeap = heapMaxBytes > 0 ? Math.max(1, share / bytesPerClient) : Long.MAX_VALUE;
        if (byConnections == Long.MAX_VALUE && byHeap == Long.MAX_VALUE) {
            return new Budget(0, "no limit known");
        }
        return byConnections <= byHeap
                ? new Budget((int) byConnections, "connector maxConnections " + maxConnections)
                : new Budget((int) Math.min(Integer.MAX_VALUE, byHeap), (heapMaxBytes >> 20) + " MB heap at ~"
                + (bytesPerClient >> 10) + " KB per client");
    }

    /**
     * Heap one idle WebSocket costs, fitted to two measurements (docs/BENCHMARKS.md, Capacity):
     * 48.5 KB in a plain Tomcat (8 KiB buffers), 8.9 KB on a ./hub node (512 bytes, socket
     * buffers off the heap). The socket buffers are not known here, so the estimate errs high.
     */
    static long bytesPerClient(int tomcatBufferSize) {
        return 8 * 1024L + 5L * tomcatBufferSize;
    }

    static int tomcatBufferSize() {
        return Integer.getInteger(TOMCAT_BUFFER_PROPERTY, 8192);
    }

    private static boolean isTomcat() {
        try {
            Class.forName("org.apache.tomcat.websocket.server.WsSci", false, AdmissionSetup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The largest {@code maxConnections} of the container's connectors (Tomcat's ThreadPool beans), or -1. */
    static int connectorMaxConnections() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            int max = -1;
            for (ObjectName name : server.queryNames(new ObjectName("*:type=ThreadPool,*"), null)) {
                Object value = server.getAttribute(name, "maxConnections");
                if (value instanceof Number n && n.intValue() > max) {
                    max = n.intValue();
                }
            }
            return max;
        } catch (Exception e) {
            LOG.log(Level.FINE, "no connector limit found", e);
            return -1;
        }
    }
}
