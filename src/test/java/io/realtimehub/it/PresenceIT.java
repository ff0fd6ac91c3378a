package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** join when a client subscribes; exactly one leave when it closes, vanishes or stops polling. */
class PresenceIT extends HubItBase {

    private Map<String, String> present(String channel) {
        JsonObject answer = Http.get(base, "presence?channel=" + channel).json();
        assertEquals(channel, answer.getString("channel"));
        return answer.getJsonArray("clients").stream().map(JsonValue::asJsonObject)
                .peek(c -> assertEquals("it-node", c.getString("node")))
                .collect(Collectors.toMap(c -> c.getString("client"), c -> c.getString("transport")));
    }

    private static long leavesOf(HubClient watcher, String client) {
        return watcher.events().stream().filter(e -> "leave".equals(HubClient.type(e))
                && client.equals(e.getJsonObject("data").getString("client"))).count();
    }

    @Test
    void listsWhoJoinedAndForgetsWhoClosed() throws Exception {
        String channel = uniqueChannel();
        HubClient watcher = openLive("sse", channel);
        var ws = (WebSocketHubClient) openLive("websocket", channel);
        HubClient poll = openLive("jsonp", channel);
        assertEquals(Map.of(watcher.client(), "sse", ws.client(), "websocket", poll.client(), "jsonp"), present(channel));
        ws.close();
        JsonObject leave = watcher.await(e -> "leave".equals(HubClient.type(e)), WAIT);
        assertEquals(ws.client(), leave.getJsonObject("data").getString("client"));
        assertEquals("websocket", leave.getJsonObject("data").getString("transport"));
        assertFalse(present(channel).containsKey(ws.client()));
    }

    @Test
    void sendsExactlyOneLeaveForAClientThatVanishes() throws Exception {
        String channel = uniqueChannel();
        HubClient watcher = openLive("websocket", channel);
        var ws = (WebSocketHubClient) openLive("websocket", channel);
        HubClient poll = openLive("poll", channel);
        ws.abort();    // no close frame: it may come back until the session times out (hub.session.timeout=3 here)
        poll.close();  // stops polling
        watcher.await(e -> "leave".equals(HubClient.type(e)) && ws.client().equals(e.getJsonObject("data").getString("client")), WAIT);
        watcher.await(e -> "leave".equals(HubClient.type(e)) && poll.client().equals(e.getJsonObject("data").getString("client")), WAIT);
        Thread.sleep(4000); // another sweep or two: still one leave each
        assertEquals(1, leavesOf(watcher, ws.client()));
        assertEquals(1, leavesOf(watcher, poll.client()));
        assertEquals(Map.of(watcher.client(), "websocket"), present(channel));
    }

    @Test
    void keepsPresenceAcrossAReconnectWithTheSameId() throws Exception {
        String channel = uniqueChannel();
        HubClient watcher = openLive("websocket", channel);
        var first = (WebSocketHubClient) openLive("websocket", channel);
        first.abort();
        HubClient again = open("sse", first.client(), channel, first.lastId());
        again.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
        Thread.sleep(4000); // past the session timeout: the session lived on in the new connection
        assertEquals(0, leavesOf(watcher, first.client()));
        assertEquals(2, present(channel).size());
    }
}
