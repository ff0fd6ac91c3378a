package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a node while both nodes publish on a few channels (whose message groups the broker
 * spread over both nodes' sequencers, so the killed node orders some of them): its clients of
 * every transport come back through nginx on the other node with {@code since}, and every client
 * ends up with every accepted event of its channel exactly once, in the channel's one order.
 * Delivery on the surviving node stalls for no longer than the bound below.
 */
class NodeKillIT extends ClusterItBase {
    /** The issue asks for 2 s; CI's shared cores get some room. Before the fix it was ~15 s. */
    private static final long MAX_STALL_MILLIS = 5_000;

    @ParameterizedTest
    @ValueSource(strings = {"node-1", "node-2"})
    void killingANodeLosesNoAcceptedEvent(String victimName) throws Exception {
        TomcatNode victim = cluster.node(victimName);
        TomcatNode survivor = cluster.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();
        List<String> channels = List.of(uniqueChannel(), uniqueChannel(), uniqueChannel(), uniqueChannel());

        List<HubClient> observers = new ArrayList<>(); // on the survivor all along: the reference order
        List<List<HubClient>> moving = new ArrayList<>();
        for (String channel : channels) {
            observers.add(openThroughNginxOn(survivor.name, "websocket", channel));
            List<HubClient> onVictim = new ArrayList<>();
            for (String transport : HubClient.TRANSPORTS) {
                HubClient c = openThroughNginxOn(victim.name, transport, channel);
                if (c instanceof WebSocketHubClient ws) {
                    ws.reconnecting();
                }
                onVictim.add(c);
            }
            moving.add(onVictim);
        }

        var run = new FaultRun(channels).start(List.of(cluster.node1.uri(), cluster.node2.uri()), 20);
        long killedAt;
        try {
            Thread.sleep(1500);
            killedAt = System.currentTimeMillis();
            victim.kill();
            Thread.sleep(3000);
        } finally {
            run.stop();
        }
        assertTrue(run.acceptedCount() > 30, "accepted " + run.acceptedCount()); // a sanity bound: publishing is slow on a loaded CI machine

        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i);
            HubClient observer = observers.get(i);
            run.assertDelivered(observer, channel, null);
            List<String> reference = messageIds(observer, channel);
            for (HubClient c : moving.get(i)) {
                run.assertDelivered(c, channel, reference);
            }
            long stall = longestGap(observer, channel, killedAt - 500);
            System.out.printf("NodeKillIT: %s killed, %s on %s: longest gap %d ms, %d accepted%n",
                    victim.name, channel, survivor.name, stall, run.accepted(channel).size());
            assertTrue(stall < MAX_STALL_MILLIS, "delivery of " + channel + " on " + survivor.name + " stalled "
                    + stall + " ms after " + victim.name + " died");
        }
    }

    /** The longest time between two consecutive messages of {@code channel} arriving at {@code c} after {@code from}. */
    private static long longestGap(HubClient c, String channel, long from) {
        long longest = 0;
        long previous = from;
        for (JsonObject e : c.messages(channel)) {
            long at = c.receivedAt(e);
            if (at < from) {
                continue;
            }
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        return longest;
    }
}
