package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away and comes back: nodes say so on /health, refuse publishes with 503 (the
 * publisher knows the event was not taken), and relay again by themselves afterwards.
 */
class BrokerOutageIT extends ClusterItBase {
    private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void healthAndPublishingFollowTheBrokerAndRelayingResumesByItself() throws Exception {
        String channel = uniqueChannel();
        HubClient on1 = openThroughNginxOn("node-1", "websocket", channel);
        HubClient on2 = openThroughNginxOn("node-2", "sse", channel);
        String before = publish(cluster.node1.uri(), "pub-outage", channel, "{\"phase\":\"before\"}");
        on2.awaitMessages(channel, 1, WAIT);

        cluster.broker.stop();

        for (TomcatNode node : cluster.nodes()) {
            awaitHealth(node.uri(), 503, "DOWN");
        }
        awaitHealth(cluster.nginx.uri(), 503, null);
        for (URI base : List.of(cluster.node1.uri(), cluster.node2.uri(), cluster.nginx.uri())) {
            Http.Response refused = postPublish(base, "pub-outage", channel, "{\"phase\":\"during\"}");
            assertEquals(503, refused.status(), "publish at " + base + " during the outage: " + refused);
            assertTrue(refused.body().startsWith("unavailable:"), refused.toString());
        }
        ((WebSocketHubClient) on1).send("{\"type\":\"publish\",\"channel\":\"" + channel
                + "\",\"data\":{\"phase\":\"during\"},\"ref\":\"r-outage\"}");
        JsonObject answer = on1.await(e -> "r-outage".equals(e.getString("ref", null)), WAIT);
        assertEquals("error", HubClient.type(answer), answer.toString());
        assertEquals("unavailable", answer.getString("code"), answer.toString());

        cluster.broker.start();

        for (TomcatNode node : cluster.nodes()) {
            awaitHealth(node.uri(), 200, "UP");
        }
        awaitHealth(cluster.nginx.uri(), 200, "UP");
        String after1 = publish(cluster.node1.uri(), "pub-outage", channel, "{\"phase\":\"after\"}");
        String after2 = publish(cluster.node2.uri(), "pub-outage-2", channel, "{\"phase\":\"after\"}");

        // The clients connected all along: the refused events never show up, the others do, in one order.
        for (HubClient c : List.of(on1, on2)) {
            var got = c.awaitMessages(channel, 3, WAIT);
            assertEquals(before, got.get(0).getString("id"));
            assertEquals(List.of(after1, after2).stream().sorted().toList(),
                    got.subList(1, 3).stream().map(e -> e.getString("id")).sorted().toList());
            assertFalse(c.messages(channel).stream().anyMatch(e -> e.toString().contains("during")),
                    "a refused event was delivered: " + c.messages(channel));
        }
        assertEquals(messageIds(on1, channel), messageIds(on2, channel), "one order on both nodes");
    }

    /** Polls GET /health at {@code base} until it answers {@code status} (and {@code state}, when given). */
    private static void awaitHealth(URI base, int status, String state) {
        Processes.await(base + "health answers " + status, OUTAGE_TIMEOUT, () -> {
            try {
                Http.Response r = Http.send(Http.request(base.resolve("health")).timeout(Duration.ofSeconds(3)).build());
                return r.status() == status && (state == null || state.equals(r.json().getString("status", null)));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
