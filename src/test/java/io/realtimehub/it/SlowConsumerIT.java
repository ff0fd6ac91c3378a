package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that stops reading is disconnected (its outbox overflows) while 100 others keep receiving on time. */
class SlowConsumerIT extends HubItBase {
    private static final int BYSTANDERS = 100;
    private static final int FLOOD = 800;
    private static final String PAYLOAD = "\"" + "f".repeat(16 * 1024) + "\"";

    @Test
    void dropsAStalledClientWhileOthersReceiveOnTime() throws Exception {
        String channel = uniqueChannel();
        String flood = uniqueChannel();
        var slow = (WebSocketHubClient) open("websocket", uniqueClient("slow"), channel + "," + flood, null);
        slow.await(e -> "join".equals(HubClient.type(e)), WAIT);
        slow.stopReading();
        List<HubClient> bystanders = new ArrayList<>();
        for (int i = 0; i < BYSTANDERS; i++) {
            bystanders.add(open("websocket", uniqueClient("b" + i), channel, null));
        }
        for (HubClient b : bystanders) {
            b.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
        }
        long droppedBefore = droppedTotal();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> floods = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            String publisher = "flood" + p;
            floods.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < FLOOD / 4; i++) {
                    Http.Response r = Http.post(base, "publish", "application/json",
                            "{\"channel\":\"" + flood + "\",\"client\":\"" + publisher + "\",\"data\":" + PAYLOAD + "}");
                    assertEquals(202, r.status(), r.toString());
                }
            }, pool));
        }
        // Meanwhile, small events on the shared channel must reach all 100 bystanders promptly.
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Http.Response r = Http.post(base, "publish", "application/json",
                    "{\"channel\":\"" + channel + "\",\"client\":\"ticker\",\"data\":{\"sent\":" + System.currentTimeMillis() + "}}");
            assertEquals(202, r.status());
            published.add(r.json().getString("id"));
            Thread.sleep(100);
        }
        CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();

        long worstLatency = 0;
        for (HubClient b : bystanders) {
            List<JsonObject> got = b.awaitMessages(channel, published.size(), Duration.ofSeconds(10));
            assertEquals(published, ids(got), b.client());
            for (JsonObject event : got) {
                worstLatency = Math.max(worstLatency, System.currentTimeMillis() - event.getJsonObject("data").getJsonNumber("sent").longValue());
            }
        }
        assertEquals(1008, slow.awaitClose(20), "the stalled client is closed with 1008 (policy: slow consumer)");
        assertTrue(droppedTotal() > droppedBefore, "counted in hub_slow_consumers_dropped_total");
        for (HubClient b : bystanders) {
            assertTrue(b.drain().stream().noneMatch(e -> "error".equals(HubClient.type(e))), "a bystander got an error");
        }
        assertTrue(worstLatency < 10_000, "bystanders waited " + worstLatency + " ms");
    }

    private long droppedTotal() {
        return Http.get(base, "metrics").body().lines().filter(l -> l.startsWith("hub_slow_consumers_dropped_total "))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }
}
