package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import io.realtimehub.it.clients.WebSocketHubClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence is cluster-wide: both nodes answer the same, and a vanished node's clients leave. */
class ClusterPresenceIT extends ClusterItBase {
    /** A few missed node beats (1 s apart here, see Cluster), with room to spare. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void bothNodesListTheSameClientsWithTheirNodes() throws Exception {
        String channel = uniqueChannel();
        Map<String, String> nodeOf = new java.util.HashMap<>();
        int i = 0;
        for (String transport : HubClient.TRANSPORTS) {
            String node = i++ % 2 == 0 ? "node-1" : "node-2";
            nodeOf.put(openThroughNginxOn(node, transport, channel).client(), node);
        }

        for (TomcatNode node : cluster.nodes()) {
            Processes.await(node.name + " lists all " + nodeOf.size() + " clients", WAIT,
                    () -> presence(node, channel).size() == nodeOf.size());
        }
        List<String> on1 = presence(cluster.node1, channel);
        assertEquals(on1, presence(cluster.node2, channel), "node-1 and node-2 disagree");
        for (String member : on1) {
            String[] fields = member.split(" ");
            assertEquals(nodeOf.get(fields[0]), fields[2], "node of " + member);
        }
    }

    @Test
    void clientsOfAKilledNodeLeaveOnTheOtherNode() throws Exception {
        String channel = uniqueChannel();
        HubClient observer = openThroughNginxOn("node-1", "websocket", channel);
        HubClient ws = openThroughNginxOn("node-2", "websocket", channel);
        // Directly on node-2, so it cannot move to node-1 and join there again.
        HubClient poll = open("poll", cluster.node2.uri(), uniqueClient("poll"), channel, null);
        awaitOwnJoin(poll, channel);
        Processes.await("node-1 lists 3 clients", WAIT, () -> presence(cluster.node1, channel).size() == 3);

        cluster.node2.kill(); // no goodbye: only the missing heartbeats tell node-1

        for (HubClient gone : List.of(ws, poll)) {
            JsonObject leave = observer.await(e -> isLeaveOf(e, channel, gone.client()), LEAVE_TIMEOUT);
            assertEquals("node-2", leave.getJsonObject("data").getString("node", "node-2"), leave.toString());
        }
        assertEquals(List.of(observer.client() + " websocket node-1"), presence(cluster.node1, channel));
        Thread.sleep(1000); // a second leave would come with the first
        for (HubClient gone : List.of(ws, poll)) {
            assertEquals(1, observer.events().stream().filter(e -> isLeaveOf(e, channel, gone.client())).count(),
                    "exactly one leave for " + gone.client());
        }
    }

    /** WebSocket: aborted without a close frame; SSE and iframe: the stream's connection closed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "iframe"})
    void aDroppedStreamLeavesWithinSecondsOnEveryNodeExactlyOnce(String transport) throws Exception {
        String channel = uniqueChannel();
        HubClient observer1 = open("websocket", cluster.node1.uri(), uniqueClient("o1"), channel, null);
        HubClient observer2 = open("websocket", cluster.node2.uri(), uniqueClient("o2"), channel, null);
        HubClient gone = open(transport, cluster.node2.uri(), uniqueClient(transport), channel, null);
        awaitOwnJoin(gone, channel);
        observer1.await(e -> "join".equals(HubClient.type(e)) && gone.client().equals(e.getJsonObject("data").getString("client")), WAIT);
        long dropped = System.nanoTime();
        if (gone instanceof WebSocketHubClient ws) {
            ws.abort();
        } else {
            gone.close();
        }
        for (HubClient observer : List.of(observer1, observer2)) {
            observer.await(e -> isLeaveOf(e, channel, gone.client()), Duration.ofSeconds(10));
        }
        long ms = (System.nanoTime() - dropped) / 1_000_000;
        // the grace here is 2 s, the session timeout 5 s: the leave came from the grace
        assertTrue(ms < 5000, transport + " left after " + ms + " ms");
        Thread.sleep(4000); // past the session timeout too: still one leave
        for (HubClient observer : List.of(observer1, observer2)) {
            assertEquals(1, observer.events().stream().filter(e -> isLeaveOf(e, channel, gone.client())).count());
        }
    }

    @Test
    void aClientThatMovesToTheOtherNodeWithinTheGraceLeavesNowhere() throws Exception {
        String channel = uniqueChannel();
        HubClient observer1 = open("websocket", cluster.node1.uri(), uniqueClient("o1"), channel, null);
        HubClient observer2 = open("websocket", cluster.node2.uri(), uniqueClient("o2"), channel, null);
        var moving = (WebSocketHubClient) open("websocket", cluster.node1.uri(), uniqueClient("mover"), channel, null);
        awaitOwnJoin(moving, channel);
        moving.abort();
        Thread.sleep(500);
        open("sse", cluster.node2.uri(), moving.client(), channel, moving.lastId());
        Thread.sleep(7000); // past the grace (2 s) and node-1's session timeout (5 s)
        for (HubClient observer : List.of(observer1, observer2)) {
            assertEquals(0, observer.events().stream().filter(e -> isLeaveOf(e, channel, moving.client())).count(),
                    "no leave for a client that moved");
        }
        for (TomcatNode node : cluster.nodes()) {
            assertTrue(presence(node, channel).contains(moving.client() + " sse node-2"), node.name + ": " + presence(node, channel));
        }
    }

    private static boolean isLeaveOf(JsonObject e, String channel, String client) {
        return "leave".equals(HubClient.type(e)) && channel.equals(HubClient.string(e, "channel"))
                && client.equals(e.getJsonObject("data").getString("client", null));
    }

    /** GET /presence on one node: "client transport node" per member, sorted. */
    private static List<String> presence(TomcatNode node, String channel) {
        Http.Response r = Http.get(node.uri().resolve("presence?channel=" + channel));
        assertEquals(200, r.status(), r.toString());
        return r.json().getJsonArray("clients").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("client") + " " + m.getString("transport") + " " + m.getString("node"))
                .sorted().toList();
    }
}
