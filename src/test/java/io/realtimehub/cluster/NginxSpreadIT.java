package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a node comes back, nginx gives it its share of new WebSockets at once. nginx sets a node
 * aside when connecting to it fails; it takes it back only when a probe request sent there has
 * ended, and a WebSocket does not end: with that, the restarted node got 1 of 40 new WebSockets.
 */
class NginxSpreadIT extends ClusterItBase {
    private static final int SOCKETS = 40;

    @Test
    void newWebSocketsSpreadOverBothNodesOnceARestartedNodeIsHealthy() throws Exception {
        String channel = uniqueChannel();
        cluster.node2.stop();

        // While node-2 is away nginx meets its closed port: these handshakes go to node-1.
        for (int i = 0; i < 5; i++) {
            try (HubClient c = open("websocket", cluster.nginx.uri(), uniqueClient("ws-away"), channel, null)) {
                assertEquals("node-1", node(c), "node-2 is stopped");
            }
        }

        cluster.node2.start();
        cluster.node2.awaitDeployed();
        Processes.await("node-2 is healthy again (/hub/health 200)", Duration.ofSeconds(30),
                () -> cluster.node2.healthStatus() == 200);

        // Kept open, so that least_conn sees every one of them.
        Map<String, Integer> perNode = new TreeMap<>();
        for (int i = 0; i < SOCKETS; i++) {
            HubClient c = open("websocket", cluster.nginx.uri(), uniqueClient("ws-spread"), channel, null);
            perNode.merge(node(c), 1, Integer::sum);
        }
        for (String node : new String[] {"node-1", "node-2"}) {
            int share = perNode.getOrDefault(node, 0);
            assertTrue(share >= SOCKETS * 3 / 10,
                    "nginx placed " + share + " of " + SOCKETS + " new WebSockets on " + node + ": " + perNode);
        }
    }

    private static String node(HubClient c) throws InterruptedException {
        return c.await(e -> "welcome".equals(HubClient.type(e)), WAIT).getString("node");
    }
}
