package io.realtimehub.web;

import io.realtimehub.core.Admission;
import io.realtimehub.core.Hub;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.Responses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** {@code GET /metrics}: Prometheus text format. */
final class MetricsServlet extends HubServlet {
    private final Hub hub;
    private final Admission admission;

    MetricsServlet(Hub hub, Admission admission, Origins origins) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.admission = admission;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var out = new StringBuilder(4096);
        hub.metrics().writePrometheus(out);
        admission.writePrometheus(out);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        out.append("# HELP jvm_memory_used_bytes Used JVM memory by area.\n")
                .append("# TYPE jvm_memory_used_bytes gauge\n")
                .append("jvm_memory_used_bytes{area=\"heap\"} ").append(memory.getHeapMemoryUsage().getUsed()).append('\n')
                .append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(memory.getNonHeapMemoryUsage().getUsed()).append('\n')
                .append("# HELP hub_sessions Client sessions on this node (connected or between polls).\n")
                .append("# TYPE hub_sessions gauge\n")
                .append("hub_sessions ").append(hub.sessionCount()).append('\n');
        Responses.write(response, 200, "text/plain; version=0.0.4; charset=utf-8", out.toString());
    }
}
