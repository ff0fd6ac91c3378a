package io.realtimehub.core;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cursor of protocol v2 on two nodes that delivered the same events with each channel in the
 * same order, but the channels interleaved differently (as two nodes of the cluster may, since the
 * broker orders each channel on its own).
 */
class CursorResumeTest {
    private final MutableClock clock = new MutableClock();
    private final TestRelay relayA = new TestRelay();
    private final TestRelay relayB = new TestRelay();
    private final Hub a = hub("node-a", relayA);
    private final Hub b = hub("node-b", relayB);

    private Hub hub(String node, TestRelay relay) {
        var hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? node : null), relay, new HubMetrics(), clock);
        hub.start();
        return hub;
    }

    private RecordingConnection connect(Hub hub, TestRelay relay, String client, String since, String... channels) {
        var c = new RecordingConnection();
        c.session = hub.connect(new ConnectRequest(client, "poll", List.of(channels), since, true), c);
        c.wake();
        relay.pending(); // presence events stay with the relay: these tests deliver by hand
        return c;
    }

    /** Publishes one event on each channel given, in turn; returns them as published. */
    private List<Event> publish(String... channels) {
        var events = new ArrayList<Event>();
        for (String channel : channels) {
            events.add(a.publish("p", "p", channel, JsonValue.TRUE).event());
        }
        return events;
    }

    private static void deliver(Hub hub, List<Event> events) {
        events.forEach(hub::onEvent);
    }

    private static String since(RecordingConnection c) {
        return c.ofType(Event.WELCOME).get(0).json().replaceAll(".*\"since\":\"([^\"]*)\".*", "$1");
    }

    @Test
    void aCursorResumesEveryChannelExactlyOnAnotherNode() {
        List<Event> first = publish("map", "chat");
        deliver(a, first);
        deliver(b, List.of(first.get(1), first.get(0))); // chat before map on node-b
        var onA = connect(a, relayA, "c", null, "map", "chat");
        List<Event> next = publish("map", "chat", "map");
        deliver(a, next);
        deliver(b, List.of(next.get(1), next.get(0), next.get(2)));
        onA.session.detach(onA, clock.millis());

        // What hub.js sends: the last id it has of each channel.
        String cursor = "map~" + next.get(0).id() + "!chat~" + next.get(1).id();
        var onB = connect(b, relayB, "c", cursor, "map", "chat");
        assertTrue(onB.ofType(Event.WELCOME).get(0).json().contains("\"resumed\":true"));
        assertEquals(List.of(next.get(2).id()), onB.messageIds());

        // A plain id (protocol v1) cannot say as much: node-b has map's second event before chat's.
        var plain = connect(b, relayB, "d", next.get(1).id(), "map", "chat");
        assertNotEquals(List.of(next.get(2).id()), plain.messageIds());
    }

    @Test
    void theWelcomeCursorResumesAClientThatHasSeenNothingYetOnAnyNode() {
        List<Event> old = publish("map");
        deliver(a, old);
        deliver(b, old);
        var first = connect(a, relayA, null, null, "map", "fresh");
        String cursor = since(first);
        assertEquals("map~" + old.get(0).id() + "!fresh~", cursor);
        assertTrue(first.messageIds().isEmpty());

        List<Event> later = publish("fresh", "map");
        deliver(a, later);
        deliver(b, later);
        // The second poll reaches the other node, which has never seen this client.
        var second = connect(b, relayB, first.session.id(), cursor, "map", "fresh");
        assertEquals(later.stream().map(Event::id).sorted().toList(), second.messageIds().stream().sorted().toList());
        assertTrue(second.ofType(Event.RESET).isEmpty());
    }

    @Test
    void theSameNodeDoesNotRepeatWhatItQueuedAfterItsWelcome() {
        deliver(a, publish("map"));
        var first = connect(a, relayA, "c", null, "map");
        first.session.detach(first, clock.millis()); // the poll that brought the welcome ended
        List<Event> later = publish("map", "map");
        deliver(a, later); // queued for the next poll
        var next = connect(a, relayA, "c", since(first), "map");
        assertEquals(later.stream().map(Event::id).toList(), next.messageIds());
    }

    @Test
    void aPollWithoutSinceIsWelcomedAgainUntilItsSessionHasBeenGivenAnEvent() {
        deliver(a, publish("map"));
        var first = poll(a, "c", null);
        String cursor = since(first);
        first.session.detach(first, clock.millis()); // that answer never reached the client (cut)
        List<Event> later = publish("map", "map");
        deliver(a, later);

        var retry = poll(a, "c", null); // no since: the client never read its welcome
        assertEquals(cursor, since(retry));
        assertEquals(later.stream().map(Event::id).toList(), retry.messageIds());
        retry.session.detach(retry, clock.millis());

        deliver(a, publish("map"));
        var afterEvents = poll(a, "c", null); // a v1 client that has been given events: no second welcome
        assertTrue(afterEvents.ofType(Event.WELCOME).isEmpty());
        assertEquals(1, afterEvents.messageIds().size());
    }

    private RecordingConnection poll(Hub hub, String client, String since) {
        var c = new RecordingConnection();
        c.session = hub.connect(new ConnectRequest(client, "poll", List.of("map"), since, false), c);
        c.wake();
        return c;
    }

    @Test
    void anUnknownPositionResetsThatChannelOnly() {
        List<Event> events = publish("map", "chat");
        deliver(b, events);
        var c = connect(b, relayB, "c", "map~no-such-id!chat~" + events.get(1).id(), "map", "chat");
        assertEquals(List.of("map"), c.ofType(Event.RESET).stream().map(Event::channel).toList());
        assertTrue(c.ofType(Event.WELCOME).get(0).json().contains("\"resumed\":false"));
    }

    @Test
    void parsesAndFormatsTheCursor() {
        assertEquals(Map.of("map", "0a-x", "chat", ""), Cursor.parse("map~0a-x!chat~"));
        assertEquals("map~0a-x!chat~", Cursor.format(new java.util.LinkedHashMap<>(Map.of("map", "0a-x"))) + "!chat~");
        assertNull(Cursor.parse("map~a~b"));
        assertNull(Cursor.parse("~a"));
        assertNull(Cursor.parse("bad channel~a"));
        assertNull(Cursor.parse("map~a!map~b"));
        assertNull(Cursor.parse("map~<script>"));
    }
}
