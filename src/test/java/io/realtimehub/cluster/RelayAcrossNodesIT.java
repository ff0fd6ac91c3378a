package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events cross nodes through the broker, on every transport, in one order everywhere. */
class RelayAcrossNodesIT extends ClusterItBase {
    static final List<String> TRANSPORTS = HubClient.TRANSPORTS;

    @ParameterizedTest
    @FieldSource("TRANSPORTS")
    void eventPublishedOnNode1ReachesSubscriberOnNode2(String transport) throws Exception {
        String channel = uniqueChannel();
        HubClient subscriber = openThroughNginxOn("node-2", transport, channel);

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            published.add(publish(cluster.node1.uri(), "pub-1", channel, "{\"n\":" + i + "}"));
        }

        var got = subscriber.awaitMessages(channel, 3, WAIT);
        assertEquals(published, got.stream().map(e -> e.getString("id")).toList());
        assertEquals(2, got.get(2).getJsonObject("data").getInt("n"), "data arrives unchanged");
    }

    @Test
    void everyClientOnEitherNodeSeesOneOrderWhenBothNodesPublishAtOnce() throws Exception {
        String channel = uniqueChannel();
        List<HubClient> subscribers = new ArrayList<>();
        for (String transport : TRANSPORTS) {
            subscribers.add(openThroughNginxOn("node-1", transport, channel));
            subscribers.add(openThroughNginxOn("node-2", transport, channel));
        }

        // Two publishers, one per node, at the same time: only the broker decides the order.
        int perNode = 30;
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        var pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (TomcatNode node : cluster.nodes()) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        accepted.add(publish(node.uri(), "pub-" + node.name, channel,
                                "{\"node\":\"" + node.name + "\",\"n\":" + i + "}"));
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertOneOrder(subscribers, channel, accepted, 2 * perNode);
    }
}
