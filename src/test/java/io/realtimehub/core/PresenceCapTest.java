package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joins and leaves per member up to the cap, a periodic count above it: O(N) deliveries for N joins. */
class PresenceCapTest {
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();

    private Hub hub(String name, Map<String, String> settings) {
        Function<String, String> lookup = key -> key.equals("hub.node") ? name : settings.get(key);
        var hub = new Hub(HubSettings.from(lookup), relay, new HubMetrics(), clock);
        hub.start();
        relay.flush();
        return hub;
    }

    private Hub hub(Map<String, String> settings) {
        return hub("node-1", settings);
    }

    private RecordingConnection connect(Hub hub, String client, String channel) {
        var connection = new RecordingConnection();
        connection.session = hub.connect(new ConnectRequest(client, "websocket", List.of(channel), null, true), connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    private void run(int seconds, Hub... nodes) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(1000);
            for (Hub node : nodes) {
                node.sweep();
            }
            relay.flush();
        }
    }

    private static long presenceEvents(RecordingConnection c) {
        return c.received.stream().filter(e -> List.of(Event.JOIN, Event.LEAVE, Event.PRESENCE).contains(e.type())).count();
    }

    private static int count(Event summary) {
        return JsonText.parseObject(summary.json()).getJsonObject("data").getInt("count");
    }

    private static List<Integer> counts(RecordingConnection c) {
        return c.ofType(Event.PRESENCE).stream().map(e -> count(e)).toList();
    }

    @Test
    void aSmallChannelGetsEveryJoinAndLeave() {
        Hub hub = hub(Map.of("hub.presence.cap", "3"));
        var a = connect(hub, "a", "map");
        connect(hub, "b", "map");
        var c = connect(hub, "c", "map");
        hub.end(c.session, Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
        run(10, hub);
        assertEquals(List.of("join a", "join b", "join c", "leave c"), a.received.stream()
                .filter(Event::isChannelEvent).map(e -> e.type() + " " + e.presenceField("client")).toList());
        assertTrue(a.ofType(Event.PRESENCE).isEmpty());
    }

    @Test
    void joiningManyClientsCostsDeliveriesLinearInTheirNumber() {
        int cap = 10;
        int clients = 500;
        Hub hub = hub(Map.of("hub.presence.cap", String.valueOf(cap), "hub.presence.summary", "5"));
        var connections = new ArrayList<RecordingConnection>();
        for (int i = 0; i < clients; i++) {
            connections.add(connect(hub, "c" + i, "map"));
            if (i % 50 == 49) {
                run(1, hub); // the storm lasts 10 s
            }
        }
        run(6, hub);
        long total = connections.stream().mapToLong(PresenceCapTest::presenceEvents).sum();
        // Up to the cap, each join reaches those already there; then a summary every 5 s at most.
        assertTrue(total <= (long) cap * cap + 4L * clients, "presence deliveries: " + total);
        for (RecordingConnection c : connections.subList(cap, clients)) {
            assertTrue(presenceEvents(c) <= 3, c.session.id() + " got " + presenceEvents(c));
        }
        for (RecordingConnection c : connections) {
            List<Integer> counts = counts(c);
            assertEquals(clients, counts.get(counts.size() - 1), "last count seen by " + c.session.id());
        }
    }

    @Test
    void summarizesOnlyWhenTheCountChangedAndAtMostOncePerInterval() {
        Hub hub = hub(Map.of("hub.presence.cap", "1", "hub.presence.summary", "3"));
        var a = connect(hub, "a", "map");
        connect(hub, "b", "map");
        run(1, hub);
        assertEquals(List.of(2), counts(a));
        connect(hub, "c", "map");
        run(1, hub);
        assertEquals(List.of(2), counts(a), "not again within 3 s");
        run(2, hub);
        assertEquals(List.of(2, 3), counts(a));
        run(10, hub);
        assertEquals(List.of(2, 3), counts(a), "nothing changed");
    }

    private static List<String> seen(RecordingConnection c) {
        return c.received.stream().filter(e -> !Event.WELCOME.equals(e.type()))
                .map(e -> e.type().equals(Event.PRESENCE) ? "count " + count(e) : e.type() + " " + e.presenceField("client"))
                .toList();
    }

    private void leave(Hub hub, RecordingConnection c) {
        hub.end(c.session, Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
    }

    @Test
    void aLastSummaryTellsTheChannelIsBackUnderTheCap() {
        Hub hub = hub(Map.of("hub.presence.cap", "2", "hub.presence.summary", "1"));
        var a = connect(hub, "a", "map");
        var b = connect(hub, "b", "map");
        var c = connect(hub, "c", "map");
        run(1, hub);
        leave(hub, c); // 3 -> 2: summed up
        run(1, hub);
        leave(hub, b); // 2 -> 1: per member again
        run(3, hub);
        assertEquals(List.of("join a", "join b", "count 3", "count 2", "leave b"), seen(a));
    }

    @Test
    void aJoinOrLeaveWithinTheCapTellsItBeforeAnySummary() {
        Hub hub = hub(Map.of("hub.presence.cap", "2", "hub.presence.summary", "1"));
        var a = connect(hub, "a", "map");
        var b = connect(hub, "b", "map");
        var c = connect(hub, "c", "map");
        run(1, hub);
        leave(hub, c); // 3 -> 2: summed up
        leave(hub, b); // 2 -> 1, before the next summary: this leave says it
        run(3, hub);
        assertEquals(List.of("join a", "join b", "count 3", "leave b"), seen(a));
    }

    @Test
    void theSwitchTurnsOffJoinsLeavesAndSummaries() {
        Hub hub = hub(Map.of("hub.presence.cap", "1", "hub.presence.events", "false"));
        var a = connect(hub, "a", "map");
        connect(hub, "b", "map");
        run(10, hub);
        assertEquals(0, presenceEvents(a));
        assertEquals(2, hub.presence("map", null, 10).count());
    }

    @Test
    void theCapCountsMembersOfEveryNode() {
        Hub one = hub("node-1", Map.of("hub.presence.cap", "2"));
        Hub two = hub("node-2", Map.of("hub.presence.cap", "2"));
        var a = connect(one, "a", "map");
        connect(two, "b", "map");
        connect(two, "c", "map");
        run(1, one, two);
        assertEquals(List.of(Event.WELCOME, Event.JOIN, Event.JOIN, Event.PRESENCE), a.received.stream().map(Event::type).toList());
        assertEquals(List.of(3), counts(a));
    }

    @Test
    void pagesThroughTheMembersByClientId() {
        Hub hub = hub(Map.of());
        for (String client : List.of("d", "b", "e", "a", "c")) {
            connect(hub, client, "map");
        }
        Presence.Page first = hub.presence("map", null, 2);
        assertEquals(5, first.count());
        assertEquals(List.of("a", "b"), first.members().stream().map(Presence.Member::client).toList());
        Presence.Page second = hub.presence("map", first.next(), 2);
        assertEquals(List.of("c", "d"), second.members().stream().map(Presence.Member::client).toList());
        Presence.Page last = hub.presence("map", second.next(), 2);
        assertEquals(List.of("e"), last.members().stream().map(Presence.Member::client).toList());
        assertNull(last.next());
    }
}
