package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node stops under its clients while events keep coming: every client gets to the other node
 * through nginx, resumes with {@code since}, and ends up with every event exactly once, in order.
 */
class FailoverIT extends ClusterItBase {

    @Test
    void clientsOfAStoppedNodeResumeOnTheOtherWithoutLossOrDuplicates() throws Exception {
        String channel = uniqueChannel();
        List<HubClient> clients = new ArrayList<>();
        for (String transport : HubClient.TRANSPORTS) {
            clients.add(openThroughNginxOn("node-2", transport, channel));
        }
        var ws = (WebSocketHubClient) clients.get(HubClient.TRANSPORTS.indexOf("websocket"));

        // Published on node-1 throughout: before, during and after node-2 goes away.
        List<String> published = new CopyOnWriteArrayList<>();
        var publishing = new AtomicBoolean(true);
        var failure = new AtomicReference<Throwable>();
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; publishing.get() && i < 500; i++) {
                    published.add(publish(cluster.node1.uri(), "pub-failover", channel, "{\"n\":" + i + "}"));
                    sleep(50);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "failover-publisher");
        publisher.start();
        try {
            sleep(500);
            cluster.node2.stop();

            // Streams and polls come back by themselves; a WebSocket client reopens with since.
            assertEquals(1001, ws.awaitClose(10), "node-2 closes its WebSockets as going away");
            HubClient reopened = open("websocket", cluster.nginx.uri(), ws.client(), channel, ws.lastId());
            JsonObject welcome = reopened.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
            assertEquals("node-1", welcome.getString("node"));
            assertTrue(welcome.getBoolean("resumed"), "since was honoured: " + welcome);
            clients.set(clients.indexOf(ws), new Joined(ws, reopened));
            sleep(1500);
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }
        assertNull(failure.get(), () -> "publishing on node-1 failed while node-2 stopped: " + failure.get());
        assertTrue(published.size() > 20, "published " + published.size());

        for (HubClient c : clients) {
            c.awaitCount(e -> published.get(published.size() - 1).equals(e.getString("id", null)), 1, WAIT);
            assertEquals(published, messageIds(c, channel),
                    c.transport() + " client " + c.client() + ": lost, repeated or reordered events");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one WebSocket client received over its first connection and the one it reopened. */
    private static final class Joined extends HubClient {
        private final HubClient before;
        private final HubClient after;

        Joined(HubClient before, HubClient after) {
            super(null, after.client(), null, null);
            this.before = before;
            this.after = after;
        }

        @Override
        public String transport() {
            return "websocket";
        }

        @Override
        protected void start() {
        }

        @Override
        public List<JsonObject> events() {
            var all = new ArrayList<>(before.events());
            all.addAll(after.events());
            return all;
        }

        @Override
        public List<JsonObject> awaitCount(java.util.function.Predicate<JsonObject> match, int count, Duration timeout)
                throws InterruptedException {
            return after.awaitCount(match, count, timeout);
        }
    }
}
