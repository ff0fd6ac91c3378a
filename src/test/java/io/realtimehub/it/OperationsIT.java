package io.realtimehub.it;

import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator and a load balancer read: /health and /metrics. */
class OperationsIT extends HubItBase {

    @Test
    void healthSaysUpWithNodeAndRelay() {
        Http.Response r = Http.get(base, "health");
        assertEquals(200, r.status());
        JsonObject health = r.json();
        assertEquals("UP", health.getString("status"));
        assertEquals("it-node", health.getString("node"));
        assertEquals("UP", health.getString("relay"));
    }

    @Test
    void metricsHaveEveryDocumentedSeries() throws Exception {
        var ws = openLive("websocket", uniqueChannel());
        String metrics = Http.get(base, "metrics").body();
        for (String series : new String[]{
                "hub_connections{transport=\"websocket\"} ", "hub_connections{transport=\"poll\"} ",
                "hub_connections{transport=\"jsonp\"} ", "hub_connections{transport=\"iframe\"} ",
                "hub_connections{transport=\"sse\"} ", "hub_events_published_total ",
                "hub_events_delivered_total{transport=\"websocket\"} ", "hub_slow_consumers_dropped_total ",
                "hub_relay_up 1", "hub_relay_roundtrip_seconds_bucket{le=\"+Inf\"} ", "hub_relay_roundtrip_seconds_count ",
                "jvm_memory_used_bytes{area=\"heap\"} ", "# TYPE hub_relay_roundtrip_seconds histogram"}) {
            assertTrue(metrics.contains(series), series + " missing from\n" + metrics);
        }
        long open = metrics.lines().filter(l -> l.startsWith("hub_connections{transport=\"websocket\"} "))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertTrue(open >= 1, metrics);
        ws.close();
    }
}
