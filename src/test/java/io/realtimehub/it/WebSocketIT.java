package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.clients.RawHttp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket endpoint's own frames: welcome, publish/ack, subscribe, ping, and errors that keep the socket open. */
class WebSocketIT extends HubItBase {

    @Test
    void welcomesThenAcknowledgesAPublishWithTheEventId() throws Exception {
        String channel = uniqueChannel();
        var ws = (WebSocketHubClient) open("websocket", "alice-" + channel, channel, null);
        JsonObject welcome = ws.await(e -> true, WAIT);
        assertEquals("welcome", HubClient.type(welcome));
        assertEquals("alice-" + channel, welcome.getString("client"));
        assertEquals("it-node", welcome.getString("node"));
        assertEquals("websocket", welcome.getString("transport"));
        assertFalse(welcome.getBoolean("resumed"));
        ws.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"lat\":51.53,\"lng\":46.03},\"ref\":\"r1\"}");
        JsonObject ack = ws.await(e -> "ack".equals(HubClient.type(e)), WAIT);
        assertEquals("r1", ack.getString("ref"));
        JsonObject message = ws.awaitMessages(channel, 1, WAIT).get(0);
        assertEquals(ack.getString("id"), message.getString("id"));
        assertEquals("{\"lat\":51.53,\"lng\":46.03}", message.getJsonObject("data").toString());
    }

    @Test
    void answersPingWithPongAndChangesSubscriptions() throws Exception {
        String channel = uniqueChannel();
        String other = uniqueChannel();
        var ws = (WebSocketHubClient) openLive("websocket", channel);
        ws.send("{\"type\":\"ping\"}");
        ws.await(e -> "pong".equals(HubClient.type(e)), WAIT);
        ws.send("{\"type\":\"subscribe\",\"channel\":\"" + other + "\"}");
        ws.await(e -> "join".equals(HubClient.type(e)) && other.equals(e.getString("channel")), WAIT);
        HubClient publisher = openLive("websocket", other);
        String id = publish("websocket", publisher, other, "\"hello\"");
        assertEquals(List.of(id), ids(ws.awaitMessages(other, 1, WAIT)));
        ws.send("{\"type\":\"unsubscribe\",\"channel\":\"" + other + "\"}");
        publisher.await(e -> "leave".equals(HubClient.type(e)), WAIT);
    }

    @Test
    void answersBadFramesWithErrorsAndKeepsEveryoneConnected() throws Exception {
        String channel = uniqueChannel();
        var bystander = openLive("poll", channel);
        var ws = (WebSocketHubClient) openLive("websocket", channel);
        String big = "x".repeat(70_000);
        String[][] cases = {
                {"{not json", "bad_request", null},
                {"[1,2]", "bad_request", null},
                {"{\"type\":\"dance\",\"ref\":\"r2\"}", "bad_request", "r2"},
                {"{\"type\":\"publish\",\"channel\":\"bad channel!\",\"data\":1,\"ref\":\"r3\"}", "bad_request", "r3"},
                {"{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"ref\":\"r4\"}", "bad_request", "r4"},
                {"{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":\"" + big + "\",\"ref\":\"r5\"}", "too_large", "r5"},
        };
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            ws.send(c[0]);
            JsonObject error = ws.awaitCount(e -> "error".equals(HubClient.type(e)), i + 1, WAIT).get(i);
            assertEquals(c[1], error.getString("code"), c[0].substring(0, Math.min(60, c[0].length())));
            assertEquals(c[2], error.containsKey("ref") ? error.getString("ref") : null);
            assertFalse(error.getString("message").contains("Exception"));
        }
        String id = publish("websocket", ws, channel, "\"still here\"");
        assertEquals(List.of(id), ids(bystander.awaitMessages(channel, 1, WAIT)));
        assertEquals(List.of(id), ids(ws.awaitMessages(channel, 1, WAIT)));
    }

    @Test
    void closesWith1009AboveTheContainersHardLimit() throws Exception {
        var ws = (WebSocketHubClient) openLive("websocket", uniqueChannel());
        try {
            ws.send("{\"type\":\"publish\",\"channel\":\"map\",\"data\":\"" + "y".repeat(400_000) + "\"}");
        } catch (CompletionException closedWhileSending) {
            // Jetty closes as soon as the limit is passed, while the rest of the frame is still being sent
        }
        assertEquals(1009, ws.awaitClose(10));
    }

    @Test
    void refusesBadHandshakesWithAReason() throws Exception {
        for (String query : new String[]{"client=bad%20id", "channels=a%20b", "since=" + "z".repeat(200)}) {
            String response = RawHttp.handshake(base, "ws?" + query);
            assertEquals(400, RawHttp.status(response), query);
            assertTrue(RawHttp.body(response).startsWith("bad_request: "), response);
        }
        String foreign = RawHttp.handshake(base, "ws", "Origin: http://evil.example");
        assertEquals(403, RawHttp.status(foreign));
        assertTrue(RawHttp.body(foreign).startsWith("forbidden: "), foreign);
    }

    @Test
    void refusesAForeignOrigin() {
        URI uri = URI.create(baseUri().toString().replaceFirst("^http", "ws") + "ws");
        var failure = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://evil.example").buildAsync(uri, new WebSocket.Listener() {
                }).join());
        var handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
    }
}
