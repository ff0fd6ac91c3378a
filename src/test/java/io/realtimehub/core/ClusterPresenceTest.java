package io.realtimehub.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        connection.session = hub.connect(new ConnectRequest(client, "sse", List.of(channel), null, true), connection);
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

    /** Two nodes that have heard each other, with client x on node-2. */
    private Hub[] nodesWithXOnNodeTwo() {
        Hub one = node("node-1");
        Hub two = node("node-2");
        connect(two, "x", "map");
        run(3, one, two);
        return new Hub[]{one, two};
    }

    @Test
    void judgesNoNodeSilentWhileTheRelayIsDown() {
        Hub[] nodes = nodesWithXOnNodeTwo();
        relay.up = false;
        run(10, nodes);
        relay.up = true;
        run(3, nodes);
        assertEquals(List.of("x@node-2"), clients(nodes[0], "map"));
    }

    @Test
    void givesTheOthersTimeToReconnectAfterThisNodesRelayComesBack() {
        Hub[] nodes = nodesWithXOnNodeTwo();
        relay.up = false;
        run(10, nodes);
        relay.up = true;
        nodes[0].onRelayState(true); // node-1's relay is back; node-2 reconnects 2 s later
        run(2, nodes[0]);
        nodes[1].onRelayState(true);
        run(3, nodes);
        assertEquals(List.of("x@node-2"), clients(nodes[0], "map"));
    }

    /** Whether node-2's first word after the partition heals is its hello (relay back) or a beat. */
    @ParameterizedTest(name = "first word: {0}")
    @ValueSource(strings = {"hello", "beat"})
    void aNodeBackFromSilenceIsListedAgain(String firstWord) {
        Hub[] nodes = nodesWithXOnNodeTwo();
        relay.detach(nodes[1]);
        run(10, nodes[0]); // node-1 drops node-2's clients
        assertTrue(clients(nodes[0], "map").isEmpty());
        relay.start(nodes[1]); // the partition heals
        if (firstWord.equals("hello")) {
            nodes[1].onRelayState(true);
        }
        run(3, nodes);
        assertEquals(List.of("x@node-2"), clients(nodes[0], "map"));
    }
}
