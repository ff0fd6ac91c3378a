package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nginx -s reload} under subscribers of every transport while events keep coming: the old
 * workers close what is still open after worker_shutdown_timeout, the clients reconnect through
 * the new workers with {@code since}, and every accepted event reaches each of them once, in order.
 */
class NginxReloadIT extends ClusterItBase {
    /** worker_shutdown_timeout in nginx.conf.template, plus room for a loaded machine. */
    private static final Duration OLD_WORKERS_GONE = Duration.ofSeconds(10 + 10);

    @Test
    void aReloadUnderSubscribersLosesAndRepeatsNothing() throws Exception {
        String channel = uniqueChannel();
        Map<String, HubClient> clients = new LinkedHashMap<>();
        for (String transport : HubClient.TRANSPORTS) {
            HubClient c = open(transport, cluster.nginx.uri(), uniqueClient(transport), channel, null);
            awaitOwnJoin(c, channel);
            clients.put(transport, c);
        }
        var ws = (WebSocketHubClient) clients.get("websocket");

        // Published on node-1 directly throughout: before, during and after the reload.
        List<String> published = new CopyOnWriteArrayList<>();
        var publishing = new AtomicBoolean(true);
        var failure = new AtomicReference<Throwable>();
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; publishing.get() && i < 1000; i++) {
                    published.add(publish(cluster.node1.uri(), "pub-reload", channel, "{\"n\":" + i + "}"));
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "reload-publisher");
        publisher.start();
        HubClient reopened;
        try {
            Thread.sleep(500);
            List<ProcessHandle> oldWorkers = cluster.nginx.reload();

            // worker_shutdown_timeout: the old workers close what they still hold, this WebSocket
            // and the streams included, and exit. The client reopens it with since, as hub.js does.
            Processes.await("the old nginx workers exit (they would keep an open WebSocket for ever)",
                    OLD_WORKERS_GONE, () -> oldWorkers.stream().noneMatch(ProcessHandle::isAlive));
            assertNotNull(ws.awaitClose(5), "the old nginx workers are gone, yet the WebSocket client saw no close");
            reopened = open("websocket", cluster.nginx.uri(), ws.client(), channel, ws.lastId());
            JsonObject welcome = reopened.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
            assertTrue(welcome.getBoolean("resumed"), "since was honoured: " + welcome);
            Thread.sleep(1500); // the others are back too: events keep coming a while longer
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }
        assertNull(failure.get(), () -> "publishing on node-1 failed during the reload: " + failure.get());
        assertTrue(published.size() > 20, "published " + published.size());

        String last = published.get(published.size() - 1);
        reopened.awaitCount(e -> last.equals(e.getString("id", null)), 1, WAIT);
        List<String> wsIds = new ArrayList<>(messageIds(ws, channel));
        wsIds.addAll(messageIds(reopened, channel));
        assertEquals(published, wsIds, "websocket client " + ws.client() + ": lost, repeated or reordered events");
        for (HubClient c : clients.values()) {
            if (c == ws) {
                continue;
            }
            c.awaitCount(e -> last.equals(e.getString("id", null)), 1, WAIT);
            assertEquals(published, messageIds(c, channel),
                    c.transport() + " client " + c.client() + ": lost, repeated or reordered events");
        }
    }
}
