package io.realtimehub.relay;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;

import java.util.concurrent.CompletableFuture;

/**
 * One live JMS connection to the broker, with three sessions:
 * <ul>
 * <li>the <b>subscriber</b>: the node's non-durable subscription to the topic; what it receives
 *     goes to the hub, in topic order;</li>
 * <li>the <b>sequencer</b>: an exclusive consumer of the anycast queue {@code <topic>.in}, which
 *     republishes every event it receives onto the topic. Artemis gives all of an exclusive
 *     queue's messages to one consumer at a time (the next one takes over when it goes), so one
 *     node's single session feeds the topic and every subscriber sees the same order. Without
 *     it, events sent at once from two nodes reach the subscriptions in different orders:
 *     Artemis routes each message into the subscription queues on the sending connection's
 *     thread, with no lock spanning the queues;</li>
 * <li>the <b>producer</b>: sends this node's events to {@code <topic>.in}.</li>
 * </ul>
 * Opened, used for sending and closed only on the relay's own thread; the consumers' listeners
 * run on the JMS client's session threads.
 */
final class ArtemisLink {
    /** What the link reports to its relay. Called on JMS client threads. */
    interface Events {
        /** A text message arrived from the topic (serially, in topic order). */
        void received(ArtemisLink link, Message message);

        /**
         * The connection failed. Then either {@link #resumed} (the client library reconnected it,
         * when the factory has reconnectAttempts != 0) or {@link #failed} follows.
         */
        void interrupted(ArtemisLink link);

        /** The client library re-established the connection, subscriber included. */
        void resumed(ArtemisLink link);

        /** The connection is gone for good: the relay must close this link and open a new one. */
        void failed(ArtemisLink link, Exception cause);

        /** The ingress queue exists but is not exclusive: nodes may see events in different orders. */
        void notExclusive(String queue);
    }

    private final Connection connection;
    private final Session producerSession;
    private final MessageProducer producer;
    private volatile boolean closed;
    private volatile boolean failed;

    private ArtemisLink(Connection connection, Session producerSession, MessageProducer producer) {
        this.connection = connection;
        this.producerSession = producerSession;
        this.producer = producer;
    }

    /** Connects, subscribes and starts delivery; blocks while the client library connects. */
    static ArtemisLink open(ConnectionFactory factory, String topicName, Events events) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            var holder = new ArtemisLink[1]; // the listeners need the link, which needs the connection
            connection.setExceptionListener(e -> {
                // EXCEPTION_FAILOVER arrives *after* a successful reconnect by the client library
                // (resumed() has said so already); anything else means the connection is gone.
                if (holder[0] != null && !ActiveMQConnection.EXCEPTION_FAILOVER.equals(e.getErrorCode())) {
                    events.failed(holder[0], e);
                }
            });
            if (connection instanceof ActiveMQConnection artemis) {
                // The first to tell of a failure. Reconnection by the client library itself (and
                // so FAILOVER_COMPLETED) only happens with a factory that has reconnectAttempts != 0,
                // e.g. one from JNDI: the relay's own factory leaves reconnecting to the relay.
                artemis.setFailoverListener(type -> {
                    ArtemisLink link = holder[0];
                    if (link == null) {
                        return;
                    }
                    if (type == FailoverEventType.FAILURE_DETECTED) {
                        events.interrupted(link);
                    } else if (type == FailoverEventType.FAILOVER_COMPLETED) {
                        events.resumed(link);
                    } else {
                        events.failed(link, new JMSException("reconnect failed"));
                    }
                });
            }
            // DUPS_OK: acknowledgements go in batches. A duplicate could only follow a failure,
            // and a failure ends this non-durable subscription anyway (nothing is redelivered).
            Session subscriberSession = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            Topic topic = subscriberSession.createTopic(topicName);
            MessageConsumer subscriber = subscriberSession.createConsumer(topic); // non-durable

            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // The parameter makes the broker create the queue exclusive. Only a producer's
            // auto-creation honours it (a consumer's creates a plain queue), so the producer
            // comes first, on every node.
            Queue ingress = producerSession.createQueue(topicName + ".in?exclusive=true");
            MessageProducer producer = fastProducer(producerSession.createProducer(ingress));
            if (!ArtemisClient.isExclusive(producerSession, ingress)) {
                events.notExclusive(topicName + ".in");
            }

            // AUTO_ACK acknowledges each event once republished: if this node dies in between,
            // the next sequencer gets the unacknowledged ones again (the relay drops repeats).
            Session sequencerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer sequencer = sequencerSession.createConsumer(ingress);
            MessageProducer toTopic = fastProducer(sequencerSession.createProducer(topic));

            ArtemisLink link = new ArtemisLink(connection, producerSession, producer);
            holder[0] = link;
            subscriber.setMessageListener(message -> events.received(link, message));
            sequencer.setMessageListener(message -> republish(message, sequencerSession, toTopic));
            connection.start();
            return link;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Non-persistent: events are relayed live, in order, with the lowest latency; a persistent
     * send would wait for the broker's journal on every publish. Surviving a broker restart is
     * not the relay's job: each node's history serves resuming clients, and onRelayState tells
     * the hub when events may have been missed.
     */
    private static MessageProducer fastProducer(MessageProducer producer) throws JMSException {
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setDisableMessageID(true);        // nobody reads them: less work per message
        producer.setDisableMessageTimestamp(true); // the event carries its own ts
        return producer;
    }

    /** Sequencer: forwards one event from the ingress queue to the topic (on the sequencer session's thread). */
    private static void republish(Message message, Session session, MessageProducer toTopic) {
        try {
            toTopic.send(session.createTextMessage(((TextMessage) message).getText()));
        } catch (JMSException | RuntimeException e) {
            // Thrown on, the message is not acknowledged: the broker delivers it again, here
            // or to the next sequencer if this connection is dying.
            throw new IllegalStateException("could not republish an event onto the topic", e);
        }
    }

    /**
     * Sends {@code json} on the topic; {@code done} completes when the broker has it, or
     * exceptionally when it cannot be sent. Relay thread only (a JMS session is single-threaded).
     */
    void publish(String json, CompletableFuture<Void> done) {
        try {
            TextMessage message = producerSession.createTextMessage(json);
            // The asynchronous send returns at once, so sends from many publishers pipeline
            // through this one session, in order; its completion (the broker's confirmation,
            // with confirmationWindowSize set) tells the publisher the broker took the event, so
            // an event lost in a connection failure is reported, not dropped.
            producer.send(message, new CompletionListener() {
                @Override
                public void onCompletion(Message sent) {
                    done.complete(null);
                }

                @Override
                public void onException(Message failed, Exception e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (JMSException | RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    void markFailed() {
        failed = true;
    }

    boolean hasFailed() {
        return failed;
    }

    /** Closes the connection (sessions, subscriber and producer with it). Never throws. */
    void close() {
        closed = true;
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // closing a connection whose broker is gone may complain; it is closed all the same
        }
    }
}
