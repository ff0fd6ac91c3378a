package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client whose connection ended leaves after the grace, once, unless it comes back (on any node). */
class PresenceGraceTest {
    private static final Map<String, String> SETTINGS = Map.of("hub.presence.grace", "3", "hub.session.timeout", "30");
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();

    private Hub hub(String name) {
        Function<String, String> lookup = key -> key.equals("hub.node") ? name : SETTINGS.get(key);
        var hub = new Hub(HubSettings.from(lookup), relay, new HubMetrics(), clock);
        hub.start();
        relay.flush();
        return hub;
    }

    private RecordingConnection connect(Hub hub, String client, long hold) {
        var connection = new RecordingConnection();
        connection.hold = hold;
        connection.session = hub.connect(new ConnectRequest(client, "websocket", List.of("map"), null, true), connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    private void drop(RecordingConnection c) {
        c.session.detach(c, clock.millis());
    }

    /** Runs the nodes' timers for {@code millis}, a quarter second at a time. */
    private void run(long millis, Hub... nodes) {
        for (long t = 0; t < millis; t += 250) {
            clock.advance(250);
            for (Hub node : nodes) {
                node.sweep();
            }
            relay.flush();
        }
    }

    private static List<String> leaves(RecordingConnection watcher) {
        return watcher.ofType(Event.LEAVE).stream().map(e -> e.presenceField("client")).toList();
    }

    @Test
    void aDroppedStreamLeavesAfterTheGraceExactlyOnce() {
        Hub hub = hub("node-1");
        var watcher = connect(hub, "w", 0);
        var gone = connect(hub, "x", 0);
        drop(gone);
        run(2750, hub);
        assertEquals(List.of(), leaves(watcher), "still within the grace");
        run(500, hub);
        assertEquals(List.of("x"), leaves(watcher));
        run(40_000, hub); // and past the session timeout, which ends the session without a second leave
        assertEquals(List.of("x"), leaves(watcher));
        assertEquals(List.of("w"), hub.presence("map").stream().map(Presence.Member::client).toList());
    }

    @Test
    void aClientBackWithinTheGraceNeverLeaves() {
        Hub hub = hub("node-1");
        var watcher = connect(hub, "w", 0);
        drop(connect(hub, "x", 0));
        run(2000, hub);
        connect(hub, "x", 0);
        run(10_000, hub);
        assertEquals(List.of(), leaves(watcher));
        assertEquals(2, watcher.ofType(Event.JOIN).size(), "w and x, once each");
    }

    @Test
    void aClientBackAfterItsLeaveJoinsAgainAndKeepsItsOutbox() {
        Hub hub = hub("node-1");
        var watcher = connect(hub, "w", 0);
        var x = connect(hub, "x", 0);
        drop(x);
        run(4000, hub);
        hub.publish("w", "w", "map", jakarta.json.JsonValue.TRUE);
        relay.flush();
        var back = connect(hub, "x", 0);
        assertEquals(List.of("x"), leaves(watcher));
        assertEquals(List.of("w", "x", "x"), watcher.ofType(Event.JOIN).stream().map(e -> e.presenceField("client")).toList());
        assertEquals(1, back.ofType(Event.MESSAGE).size(), "what was published while it was away");
        assertTrue(hub.presence("map").stream().anyMatch(m -> m.client().equals("x")));
    }

    @Test
    void aLongPollClientLeavesAfterItsPollTimeoutPlusTheGrace() {
        Hub hub = hub("node-1");
        var watcher = connect(hub, "w", 0);
        var poll = connect(hub, "p", 25_000);
        clock.advance(100);
        drop(poll); // answered at once; then it never polls again
        run(27_500, hub);
        assertEquals(List.of(), leaves(watcher));
        run(1000, hub);
        assertEquals(List.of("p"), leaves(watcher));
    }

    @Test
    void aLongPollClientThatKeepsPollingStays() {
        Hub hub = hub("node-1");
        var watcher = connect(hub, "w", 0);
        for (int i = 0; i < 10; i++) {
            var poll = connect(hub, "p", 25_000);
            run(2000, hub);
            drop(poll); // a poll answered after 2 s; the next one comes 1 s later
            run(1000, hub);
        }
        assertEquals(List.of(), leaves(watcher));
    }

    @Test
    void aClientThatMovesToAnotherNodeWithinTheGraceLeavesNowhere() {
        Hub one = hub("node-1");
        Hub two = hub("node-2");
        var watcher1 = connect(one, "w1", 0);
        var watcher2 = connect(two, "w2", 0);
        var x = connect(one, "x", 0);
        drop(x);
        run(1500, one, two);
        connect(two, "x", 0);
        run(10_000, one, two);
        assertEquals(List.of(), leaves(watcher1));
        assertEquals(List.of(), leaves(watcher2));
        assertEquals(List.of("w1@node-1", "w2@node-2", "x@node-2"), one.presence("map").stream()
                .map(m -> m.client() + "@" + m.node()).toList());
        assertEquals(one.presence("map"), two.presence("map"));
    }

    @Test
    void aDroppedStreamLeavesOnEveryNodeOnce() {
        Hub one = hub("node-1");
        Hub two = hub("node-2");
        var watcher1 = connect(one, "w1", 0);
        var watcher2 = connect(two, "w2", 0);
        drop(connect(one, "x", 0));
        run(4000, one, two);
        assertEquals(List.of("x"), leaves(watcher1));
        assertEquals(List.of("x"), leaves(watcher2));
        run(40_000, one, two);
        assertEquals(List.of("x"), leaves(watcher1));
        assertEquals(List.of("x"), leaves(watcher2));
    }
}
