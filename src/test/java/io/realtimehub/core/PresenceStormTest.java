package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel above the cap during a storm: after the first count, its count summary waits until the
 * channel settles, so a join storm costs each member two summaries at most, and a mass leave sends
 * the members that go nothing.
 * Time runs in 100 ms steps with the hub's sweep every second, as on a node.
 */
class PresenceStormTest {
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();
    private long steps;

    private Hub hub(Map<String, String> settings) {
        Function<String, String> lookup = key -> key.equals("hub.node") ? "node-1" : settings.get(key);
        var hub = new Hub(HubSettings.from(lookup), relay, new HubMetrics(), clock);
        hub.start();
        relay.flush();
        return hub;
    }

    private RecordingConnection connect(Hub hub, String client) {
        var connection = new RecordingConnection();
        connection.session = hub.connect(new ConnectRequest(client, "websocket", List.of("map"), null, true), connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    /** 100 ms pass; on every tenth step, the hub's once-a-second sweep. */
    private void step(Hub hub) {
        clock.advance(100);
        if (++steps % 10 == 0) {
            hub.sweep();
        }
        relay.flush();
    }

    private void seconds(Hub hub, int n) {
        for (int i = 0; i < n * 10; i++) {
            step(hub);
        }
    }

    private static List<Integer> counts(List<Event> events) {
        return events.stream().filter(e -> Event.PRESENCE.equals(e.type()))
                .map(e -> JsonText.parseObject(e.json()).getJsonObject("data").getInt("count")).toList();
    }

    private static long presenceEvents(RecordingConnection c) {
        return c.received.stream().filter(e -> List.of(Event.JOIN, Event.LEAVE, Event.PRESENCE).contains(e.type())).count();
    }

    @Test
    void aJoinStormCostsEachMemberTheFirstCountAndTheSettledOne() {
        int cap = 10;
        int clients = 1000;
        Hub hub = hub(Map.of("hub.presence.cap", String.valueOf(cap), "hub.presence.summary", "5"));
        var connections = new ArrayList<RecordingConnection>();
        for (int i = 0; i < clients; i++) {
            connections.add(connect(hub, "c" + i));
            if (i % 5 == 4) {
                step(hub); // 50 joins a second: a 20 s storm, longer than 3 summary intervals
            }
        }
        seconds(hub, 3);
        int first = counts(connections.get(0).received).get(0); // at the first sweep after the cap was passed
        for (RecordingConnection c : connections.subList(cap, clients)) {
            List<Integer> counts = counts(c.received);
            assertEquals(clients, counts.get(counts.size() - 1), c.session.id() + ": the settled count");
            assertTrue(counts.equals(List.of(first, clients)) || counts.equals(List.of(clients)),
                    c.session.id() + ": the first count and the settled one, nothing between: " + counts);
            assertTrue(presenceEvents(c) <= 2, c.session.id());
        }
        long total = connections.stream().mapToLong(PresenceStormTest::presenceEvents).sum();
        assertTrue(total <= (long) cap * cap + 2L * clients, "presence deliveries: " + total);
    }

    @Test
    void aChannelThatNeverSettlesStillGetsItsCountEverySixIntervals() {
        Hub hub = hub(Map.of("hub.presence.cap", "1", "hub.presence.summary", "1"));
        var a = connect(hub, "a");
        for (int i = 0; i < 40; i++) { // a join every 500 ms for 20 s
            connect(hub, "c" + i);
            step(hub);
            step(hub);
            step(hub);
            step(hub);
            step(hub);
        }
        List<Integer> during = counts(a.received);
        seconds(hub, 3);
        List<Integer> all = counts(a.received);
        // The first at once, then each held 6 s from the tick that saw the change: at about 1, 8 and 15 s.
        assertEquals(3, during.size(), "one every 6 s or so: " + during);
        assertTrue(during.get(0) < during.get(1) && during.get(1) < during.get(2), during.toString());
        assertEquals(41, all.get(all.size() - 1), "then the settled count: " + all);
    }

    @Test
    void aMassLeaveSendsNoSummaryToTheMembersThatGo() {
        int cap = 10;
        int clients = 500;
        Hub hub = hub(Map.of("hub.presence.cap", String.valueOf(cap), "hub.presence.summary", "1"));
        var connections = new ArrayList<RecordingConnection>();
        for (int i = 0; i < clients; i++) {
            connections.add(connect(hub, "c" + i));
        }
        seconds(hub, 3);
        var before = connections.stream().map(c -> c.received.size()).toList();
        for (int i = clients - 1; i >= 1; i--) { // all but c0 leave, 10 every 100 ms: 5 s
            hub.end(connections.get(i).session, Connection.CloseReason.SESSION_ENDED, true);
            if (i % 10 == 0) {
                step(hub);
            }
        }
        relay.flush();
        seconds(hub, 3);
        for (int i = 0; i < clients; i++) {
            RecordingConnection c = connections.get(i);
            List<Event> during = c.received.subList(before.get(i), c.received.size());
            assertEquals(List.of(), counts(during), c.session.id() + " got a summary while the channel emptied");
        }
        List<Event> kept = connections.get(0).received.subList(before.get(0), connections.get(0).received.size());
        assertEquals(cap - 1, kept.stream().filter(e -> Event.LEAVE.equals(e.type())).count(),
                "c0 gets each leave once the channel is back within the cap");
    }
}
