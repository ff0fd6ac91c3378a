package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long-poll's first request (no client id yet) and its second (with the id, which nginx hashes)
 * may reach different nodes. The welcome's cursor ({@code since}, protocol v2) lets the second
 * node serve exactly what followed the first poll: nothing published in between is lost.
 */
class FirstPollMoveIT extends ClusterItBase {

    @Test
    void aPollerThatMovesAfterItsFirstPollLosesNothing() throws Exception {
        String channel = uniqueChannel();
        String before = publish(cluster.node1.uri(), "pub-move", channel, "{\"n\":\"before\"}");
        HubClient observer = openThroughNginxOn("node-2", "websocket", channel);

        List<JsonObject> first = poll(cluster.node1.uri(), channel, null, null, null);
        JsonObject welcome = first.get(0);
        assertEquals("welcome", HubClient.type(welcome), first.toString());
        String cursor = welcome.getString("since");
        assertTrue(cursor.startsWith(channel + "~"), "the welcome carries the channel's cursor: " + welcome);

        var published = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            published.add(publish(cluster.node1.uri(), "pub-move", channel, "{\"n\":" + i + "}"));
        }
        observer.awaitCount(e -> published.get(4).equals(e.getString("id", null)), 1, WAIT); // node-2 has them

        List<JsonObject> second = poll(cluster.node2.uri(), channel, welcome.getString("client"),
                welcome.getString("key", null), cursor);
        assertEquals("welcome", HubClient.type(second.get(0)), "node-2 did not know the session: " + second);
        assertTrue(second.get(0).getBoolean("resumed"), second.get(0).toString());
        List<String> got = second.stream().filter(e -> "message".equals(HubClient.type(e)))
                .map(e -> e.getString("id")).toList();
        assertEquals(published, got, "exactly what followed the first poll, in order (not " + before + ")");
    }

    /** One poll that answers at once when events wait (timeout 1 s otherwise). */
    private static List<JsonObject> poll(URI node, String channel, String client, String key, String since) {
        String query = "poll?channels=" + channel + "&timeout=1"
                + (client == null ? "" : "&client=" + Http.encode(client))
                + (key == null ? "" : "&key=" + Http.encode(key))
                + (since == null ? "" : "&since=" + Http.encode(since));
        Http.Response r = Http.get(node.resolve(query));
        assertEquals(200, r.status(), r.toString());
        return r.jsonArray().getValuesAs(JsonValue::asJsonObject);
    }
}
