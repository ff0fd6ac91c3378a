package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two hubs on one relay, as two nodes on one topic. */
class ClusterPresenceTest {
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();

    private Hub node(String name) {
        var hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? name : null), relay, new HubMetrics(), clock);
        hub.start();
        relay.flush();
        return hub;
    }

    private RecordingConnection connect(Hub hub, String client, String channel) {
        var connection = new RecordingConnection();
        connection.session = hub.connect(new Hub.ConnectRequest(client, "sse", List.of(channel), null, true), connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    private static List<String> clients(Hub hub, String channel) {
        return hub.presence(channel).stream().map(m -> m.client() + "@" + m.node()).sorted().toList();
    }

    /** Both nodes run their timers for {@code seconds}, the relay delivering as it goes. */
    private void run(int seconds, Hub... nodes) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(1000);
            for (Hub node : nodes) {
                node.sweep();
            }
            relay.flush();
        }
    }

    @Test
    void aLateNodeLearnsWhoIsPresentFromTheOthersRosters() {
        Hub one = node("node-1");
        connect(one, "a", "map");
        connect(one, "b", "map");
        Hub two = node("node-2");
        assertEquals(List.of("a@node-1", "b@node-1"), clients(two, "map"));
        connect(two, "c", "map");
        assertEquals(clients(one, "map"), clients(two, "map"));
    }

    @Test
    void theClientsOfASilentNodeLeaveExactlyOnce() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        var watcher = connect(one, "w", "map");
        connect(two, "x", "map");
        connect(two, "y", "map");
        run(3, one, two);
        relay.detach(two); // node-2 dies: no more beats
        run(10, one);
        assertEquals(List.of("w@node-1"), clients(one, "map"));
        List<String> left = watcher.ofType(Event.LEAVE).stream().map(e -> e.presenceField("client")).sorted().toList();
        assertEquals(List.of("x", "y"), left);
    }

    @Test
    void aClientThatMovedToAnotherNodeStaysWhenItsOldNodeDies() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        var watcher = connect(one, "w", "map");
        connect(two, "x", "map");
        run(3, one, two);
        connect(one, "x", "map"); // x reconnects through the proxy to node-1
        relay.detach(two);
        run(10, one);
        assertEquals(List.of("w@node-1", "x@node-1"), clients(one, "map"));
        assertEquals(0, watcher.ofType(Event.LEAVE).size());
    }

    @Test
    void judgesNoNodeSilentWhileTheRelayIsDown() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        connect(two, "x", "map");
        run(3, one, two);
        relay.up = false;
        run(10, one, two);
        relay.up = true;
        run(3, one, two);
        assertEquals(List.of("x@node-2"), clients(one, "map"));
    }

    @Test
    void givesTheOthersTimeToReconnectAfterThisNodesRelayComesBack() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        connect(two, "x", "map");
        run(3, one, two);
        relay.up = false;
        run(10, one, two);
        relay.up = true;
        one.onRelayState(true); // node-1's relay is back; node-2 reconnects 2 s later
        run(2, one);
        two.onRelayState(true);
        run(3, one, two);
        assertEquals(List.of("x@node-2"), clients(one, "map"));
    }

    @Test
    void aWronglyDroppedNodeSendsItsRosterAgainWhenHeard() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        connect(two, "x", "map");
        run(3, one, two);
        relay.detach(two);
        run(10, one); // node-1 drops node-2's clients
        relay.start(two);
        two.onRelayState(true); // node-2's first word is its hello, not a beat
        run(3, one, two);
        assertEquals(List.of("x@node-2"), clients(one, "map"));
    }

    @Test
    void aNodeBackFromSilenceIsListedAgain() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        connect(two, "x", "map");
        run(3, one, two);
        relay.detach(two);
        run(10, one);
        assertTrue(clients(one, "map").isEmpty());
        relay.start(two); // the partition heals
        run(3, one, two);
        assertEquals(List.of("x@node-2"), clients(one, "map"));
    }
}
