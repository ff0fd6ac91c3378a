package io.realtimehub.relay;

import io.realtimehub.core.Event;
import io.realtimehub.core.Relay;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands what the topic delivers to the hub's listener: one event at a time, in topic order,
 * each event once. Called on the JMS client's session threads.
 */
final class ArtemisInbound {
    private static final Logger LOG = Logger.getLogger(ArtemisInbound.class.getName());
    /** Ids remembered to drop repeats: after a failure the broker may deliver again what it had not seen acknowledged. */
    private static final int REMEMBERED_IDS = 16_384;

    private final String topic;
    private final Object lock = new Object();
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>() { // guarded by lock
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };
    private volatile Relay.Listener listener;

    ArtemisInbound(String topic) {
        this.topic = topic;
    }

    void start(Relay.Listener listener) {
        this.listener = listener;
    }

    /** Nothing is handed on after this returns (a delivery in progress has finished). */
    void stop() {
        synchronized (lock) {
            listener = null;
        }
    }

    void deliver(Message message) {
        // A RuntimeException escaping onMessage would make JMS deliver the message again: log instead.
        try {
            if (!(message instanceof TextMessage text)) {
                LOG.warning("relay: ignored a non-text message on topic " + topic);
                return;
            }
            Event event = Event.fromJson(text.getText());
            // JMS delivers serially per session; the lock also orders the last messages of a
            // dying connection against the first of its replacement.
            synchronized (lock) {
                if (event.id() != null && recentIds.put(event.id(), Boolean.TRUE) != null) {
                    LOG.fine(() -> "relay: dropped a repeated event " + event.id());
                    return;
                }
                Relay.Listener target = listener;
                if (target != null) {
                    target.onEvent(event);
                }
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "relay: could not deliver a message from topic " + topic, e);
        }
    }
}
