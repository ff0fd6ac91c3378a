package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker stops (gracefully, or kill -9) and starts again while both nodes publish: what was
 * refused during the outage was never accepted, and every event accepted before, during and after
 * reaches every client of its channel, on both nodes and every transport, exactly once and in the
 * channel's one order: the events are persistent and each node's subscription is durable.
 */
class BrokerRestartIT extends ClusterItBase {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBrokerRestartLosesNoAcceptedEvent(boolean kill) throws Exception {
        List<String> channels = List.of(uniqueChannel(), uniqueChannel());
        List<HubClient> references = new ArrayList<>();
        List<List<HubClient>> clients = new ArrayList<>();
        for (String channel : channels) {
            references.add(openThroughNginxOn("node-1", "websocket", channel));
            List<HubClient> of = new ArrayList<>();
            for (String transport : HubClient.TRANSPORTS) {
                for (String node : List.of("node-1", "node-2")) {
                    HubClient c = openThroughNginxOn(node, transport, channel);
                    if (c instanceof WebSocketHubClient ws) {
                        ws.reconnecting();
                    }
                    of.add(c);
                }
            }
            clients.add(of);
        }

        var run = new FaultRun(channels).start(List.of(cluster.node1.uri(), cluster.node2.uri()), 20);
        try {
            Thread.sleep(1500);
            if (kill) {
                cluster.broker.kill();
            } else {
                cluster.broker.stop();
            }
            Thread.sleep(1000);
            cluster.broker.start();
            for (TomcatNode node : cluster.nodes()) {
                Processes.await(node.name + "'s relay is back", WAIT, () -> node.healthStatus() == 200);
            }
            Thread.sleep(1500);
        } finally {
            run.stop();
        }
        assertTrue(run.acceptedCount() > 30, "accepted " + run.acceptedCount()); // a sanity bound: publishing is slow on a loaded CI machine
        assertTrue(!run.refusals().isEmpty(), "the outage refused publishes");

        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i);
            run.assertDelivered(references.get(i), channel, null);
            List<String> reference = messageIds(references.get(i), channel);
            for (HubClient c : clients.get(i)) {
                run.assertDelivered(c, channel, reference);
            }
        }
    }
}
