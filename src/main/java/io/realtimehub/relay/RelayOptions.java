package io.realtimehub.relay;

/**
 * How a node uses the broker.
 *
 * @param topic           the topic every node subscribes to; nodes send to {@code <topic>.in}
 * @param node            this node's name: its durable subscription is {@code hub-<node>}
 * @param persistent      events are persistent messages (survive a broker restart) or not (faster)
 * @param retentionMillis how long the broker keeps an event for a node that is away (message TTL)
 */
public record RelayOptions(String topic, String node, boolean persistent, long retentionMillis) {
    public static final String DEFAULT_TOPIC = "hub.events";
    public static final long DEFAULT_RETENTION_MILLIS = 10 * 60_000;

    public RelayOptions {
        topic = topic == null || topic.isBlank() ? DEFAULT_TOPIC : topic;
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("a relay needs this node's name");
        }
    }

    String ingress() {
        return topic + ".in";
    }

    String subscription() {
        return "hub-" + node;
    }
}
