package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.TestKeys;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's new connection replaces the long-poll its session still holds (the browser gave up on
 * it, or switched transports, but the server has not noticed yet): the new connection gets its
 * {@code welcome}; the replaced poll answers without taking anything from the session.
 *
 * <p>Found by BrowserTransportsIT#switchingTransportFromTheMenuKeepsTheClientId: the replaced
 * poll used to drain the session as it completed, taking the welcome meant for its successor, and
 * hub.js then waited 5 s for a welcome that never came.
 */
class ReplacedConnectionIT extends HubItBase {

    private long pollsWaiting() {
        return Http.get(base, "metrics").body().lines()
                .filter(l -> l.startsWith("hub_connections{transport=\"poll\"} "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }

    @ParameterizedTest(name = "poll replaced by {0}")
    @ValueSource(strings = {"websocket", "sse", "iframe"})
    void replacedPollLeavesTheWelcomeToTheNewConnection(String transport) throws Exception {
        String channel = uniqueChannel();
        String client = uniqueClient("replaced");
        // The session (welcome, then its own join), then a long-poll that the "browser" abandons.
        String poll = "poll?" + Http.query("channels", channel, "client", client, "key", TestKeys.key(client), "timeout", "0");
        while (!"[]".equals(Http.get(base, poll).body().strip())) {
            Thread.yield(); // drained: the next poll will wait
        }
        long waiting = pollsWaiting();
        CompletableFuture<Http.Response> abandoned = Http.getAsync(base,
                "poll?" + Http.query("channels", channel, "client", client, "key", TestKeys.key(client), "timeout", "20"));
        long end = System.nanoTime() + WAIT.toNanos();
        while (pollsWaiting() <= waiting) {
            assertTrue(System.nanoTime() < end, "the long-poll never waited");
            Thread.sleep(20);
        }

        HubClient next = open(transport, client, channel, null);
        JsonObject welcome = next.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
        assertEquals(transport, welcome.getString("transport"));

        Http.Response old = abandoned.get(10, TimeUnit.SECONDS);
        assertFalse(old.body().contains("\"welcome\""), "the replaced poll took the new connection's welcome: " + old.body());
    }
}
