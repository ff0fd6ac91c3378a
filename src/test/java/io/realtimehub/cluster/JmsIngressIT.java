package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.json.JsonObject;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another Java service publishes by sending JMS to the hub's ingress queue, inside its own
 * transaction, as README documents: the event reaches the clients of both nodes, stamped and in
 * the channel's order; an invalid message is dropped, and a rolled-back one never appears.
 */
class JmsIngressIT extends ClusterItBase {

    @Test
    void aServiceSendingJmsPublishesToEveryNode() throws Exception {
        String channel = uniqueChannel();
        HubClient on1 = openThroughNginxOn("node-1", "sse", channel);
        HubClient on2 = openThroughNginxOn("node-2", "websocket", channel);

        try (var factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + cluster.broker.port, Cluster.USER, Cluster.PASSWORD);
             JMSContext jms = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            var ingress = jms.createQueue("hub.events.in");
            var producer = jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setProperty("JMSXGroupID", channel);
            producer.send(ingress, "{\"channel\":\"" + channel + "\",\"data\":{\"n\":1},\"from\":\"billing\"}");
            producer.send(ingress, "{\"channel\":\"bad channel!\",\"data\":2}");
            producer.send(ingress, "{\"channel\":\"" + channel + "\"}"); // no data
            producer.send(ingress, "{\"channel\":\"" + channel + "\",\"data\":{\"n\":2}}");
            jms.commit();
            producer.send(ingress, "{\"channel\":\"" + channel + "\",\"data\":{\"n\":\"rolled back\"}}");
            jms.rollback();
        }
        String last = publish(cluster.node2.uri(), "pub-jms", channel, "{\"n\":3}");

        for (HubClient c : List.of(on1, on2)) {
            c.awaitCount(e -> last.equals(e.getString("id", null)), 1, WAIT);
            List<JsonObject> got = c.messages(channel);
            assertEquals(List.of("1", "2", "3"), got.stream().map(e -> e.getJsonObject("data").get("n").toString()).toList(),
                    c.transport() + " client: " + got);
            JsonObject first = got.get(0);
            assertEquals("billing", first.getString("from"), first.toString());
            assertTrue(first.containsKey("id") && first.containsKey("ts"), "stamped by the node: " + first);
            assertFalse(c.events().toString().contains("rolled back"));
        }
        assertEquals(messageIds(on1, channel), messageIds(on2, channel), "one order on both nodes");
    }
}
