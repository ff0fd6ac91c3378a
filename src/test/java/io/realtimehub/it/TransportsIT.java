package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every transport shares: delivery to every other transport in one order, resume, reset. */
class TransportsIT extends HubItBase {
    private static final int EVENTS = 20;

    @ParameterizedTest(name = "published over {0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void deliversEveryPublishToEveryTransportInOneOrder(String publisherTransport) throws Exception {
        String channel = uniqueChannel();
        var subscribers = new ArrayList<HubClient>();
        for (String transport : HubClient.TRANSPORTS) {
            subscribers.add(openLive(transport, channel));
        }
        HubClient publisher = openLive(publisherTransport, channel);
        var published = new ArrayList<String>();
        for (int i = 0; i < EVENTS; i++) {
            published.add(publish(publisherTransport, publisher, channel, "{\"n\":" + i + ",\"s\":\"é<&>\\u2028\"}"));
        }
        for (HubClient subscriber : subscribers) {
            List<JsonObject> got = subscriber.awaitMessages(channel, EVENTS, WAIT);
            assertEquals(published, ids(got), subscriber.transport() + " got another order");
            for (int i = 0; i < EVENTS; i++) {
                JsonObject event = got.get(i);
                assertEquals(i, event.getJsonObject("data").getInt("n"));
                assertEquals("é<&>\u2028", event.getJsonObject("data").getString("s"));
                assertEquals(publisher.client(), event.getString("from"));
                assertTrue(event.getJsonNumber("ts").longValue() > 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void resumesWithSinceWithoutLossOrDuplicates(String transport) throws Exception {
        String channel = uniqueChannel();
        HubClient publisher = openLive("websocket", channel);
        HubClient first = openLive(transport, channel);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(publish("websocket", publisher, channel, "{\"before\":" + i + "}"));
        }
        assertEquals(before, ids(first.awaitMessages(channel, 5, WAIT)));
        String since = first.lastId();
        String client = first.client();
        first.close();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(publish("websocket", publisher, channel, "{\"missed\":" + i + "}"));
        }
        HubClient second = open(transport, client, channel, since);
        List<String> after = new ArrayList<>(missed);
        after.add(publish("websocket", publisher, channel, "{\"after\":0}"));
        assertEquals(after, ids(second.awaitMessages(channel, 6, WAIT)));
        Thread.sleep(300);
        assertEquals(after, ids(second.messages(channel)), "duplicates after resume");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void sendsResetWhenSinceIsUnknown(String transport) throws Exception {
        String channel = uniqueChannel();
        HubClient client = open(transport, uniqueClient(transport), channel, "0000000000dead-zzzz");
        JsonObject reset = client.await(e -> "reset".equals(HubClient.type(e)), WAIT);
        assertEquals(channel, reset.getString("channel"));
        HubClient publisher = openLive("websocket", channel);
        String id = publish("websocket", publisher, channel, "1");
        assertEquals(List.of(id), ids(client.awaitMessages(channel, 1, WAIT)), "live events follow a reset");
    }
}
