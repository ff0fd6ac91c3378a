package io.realtimehub.relay;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;

import java.util.concurrent.CompletableFuture;

/**
 * One live link to the broker: two JMS connections and four sessions.
 * <ul>
 * <li>The <b>producer</b> sends this node's events to the anycast queue {@code <topic>.in}, each
 *     with {@code JMSXGroupID} = its channel. The broker hands every group to one consumer at a
 *     time, so one node at a time moves a channel's events onto the topic: one order per channel
 *     on every node, with no node carrying every channel.</li>
 * <li>The <b>sequencer</b>, on every node, consumes that queue and republishes what it gets onto the
 *     topic; it acknowledges an event only once the broker confirmed the republished copy, so an
 *     event is never lost between the two. When a node dies, the broker gives its groups (and the
 *     events it had not acknowledged) to the other nodes at once.</li>
 * <li>The <b>subscriber</b> is this node's durable subscription to the topic (named after the
 *     node): a broker restart or a reconnect loses nothing, the broker keeps what came meanwhile.</li>
 * </ul>
 * The consumers live on a connection without a confirmation window: the broker then cleans up a
 * connection whose process died as soon as its socket closes, instead of keeping its consumers
 * (and their unacknowledged events) for the connection TTL in case it reattaches. Sends go over
 * the other connection, where the broker confirms every one. Opened, used for publishing and
 * closed only on the relay's own thread; the consumers' listeners run on JMS client threads.
 */
final class ArtemisLink {
    /** What the link reports to its relay. Called on JMS client threads. */
    interface Events {
        /** A text message arrived from the topic (serially, in topic order per channel). */
        void received(ArtemisLink link, Message message);

        /** Ingress from another service (no {@link #NODE} property): the event JSON to relay; throws to refuse it. */
        String admit(String body);

        /**
         * The connection failed. Then either {@link #resumed} (the client library reconnected it,
         * when the factory has reconnectAttempts != 0) or {@link #failed} follows.
         */
        void interrupted(ArtemisLink link);

        /** The client library re-established the connection, subscriber included. */
        void resumed(ArtemisLink link);

        /** The connection is gone for good: the relay must close this link and open a new one. */
        void failed(ArtemisLink link, Exception cause);

        /** The ingress queue is exclusive (made by an older version): one node orders every channel. */
        void exclusive(String queue);

        /** The ingress refused a message for good (invalid JSON or event). */
        void refused(String reason);
    }

    static final String GROUP = "JMSXGroupID";
    /** Set by nodes on what they send; a message without it came from another service and is admitted first. */
    static final String NODE = "hubNode";
    /** The group of node-to-node messages (beats, rosters): they need no channel's order. */
    static final String NODES_GROUP = "hub:nodes";

    private final Connection producerConnection;
    private final Connection consumerConnection;
    private final Session producerSession;
    private final MessageProducer producer;
    private volatile boolean closed;
    private volatile boolean failed;

    private ArtemisLink(Connection producerConnection, Connection consumerConnection, Session producerSession,
                        MessageProducer producer) {
        this.producerConnection = producerConnection;
        this.consumerConnection = consumerConnection;
        this.producerSession = producerSession;
        this.producer = producer;
    }

    /** Connects, subscribes and starts delivery; blocks while the client library connects. */
    static ArtemisLink open(ConnectionFactory producerFactory, ConnectionFactory consumerFactory,
                            RelayOptions options, Events events, OpenSteps steps) throws JMSException {
        var holder = new ArtemisLink[1]; // the listeners need the link, which needs the connections
        Connection producerConnection = producerFactory.createConnection();
        steps.done("connection");
        Connection consumerConnection = null;
        try {
            watch(producerConnection, holder, events);
            consumerConnection = consumerFactory.createConnection();
            steps.done("consumer connection");
            ArtemisClient.claimName(consumerConnection, options.subscription()); // only directly after creation
            watch(consumerConnection, holder, events);
            steps.done("client id");

            Session producerSession = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = producerSession.createTopic(options.topic());
            Queue ingress = producerSession.createQueue(options.ingress());
            MessageProducer producer = ArtemisClient.configure(producerSession.createProducer(ingress), options);
            if (ArtemisClient.isExclusive(producerSession, ingress)) {
                events.exclusive(options.ingress());
            }
            steps.done("producer");

            // DUPS_OK: acknowledgements go in batches; what a failure redelivers, the relay drops as repeats.
            Session subscriberSession = consumerConnection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer subscriber = subscriberSession.createDurableConsumer(
                    subscriberSession.createTopic(options.topic()), options.subscription());
            steps.done("durable subscription");

            Session sequencerSession = consumerConnection.createSession(false, ActiveMQJMSConstants.INDIVIDUAL_ACKNOWLEDGE);
            MessageConsumer sequencer = sequencerSession.createConsumer(sequencerSession.createQueue(options.ingress()));
            // Used only from the sequencer's listener thread (a session is single-threaded).
            Session republishSession = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer toTopic = ArtemisClient.configure(republishSession.createProducer(topic), options);
            steps.done("sequencer");

            ArtemisLink link = new ArtemisLink(producerConnection, consumerConnection, producerSession, producer);
            holder[0] = link;
            subscriber.setMessageListener(message -> events.received(link, message));
            sequencer.setMessageListener(message -> link.republish(message, republishSession, toTopic, events));
            producerConnection.start();
            consumerConnection.start();
            steps.done("start");
            return link;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(producerConnection);
            if (consumerConnection != null) {
                closeQuietly(consumerConnection);
            }
            throw e;
        }
    }

    private static void watch(Connection connection, ArtemisLink[] holder, Events events) throws JMSException {
        connection.setExceptionListener(e -> {
            // EXCEPTION_FAILOVER arrives *after* a successful reconnect by the client library
            // (resumed() has said so already); anything else means the connection is gone.
            if (holder[0] != null && !ActiveMQConnection.EXCEPTION_FAILOVER.equals(e.getErrorCode())) {
                events.failed(holder[0], e);
            }
        });
        if (connection instanceof ActiveMQConnection artemis) {
            // The first to tell of a failure. Reconnection by the client library itself (and so
            // FAILOVER_COMPLETED) only happens with a factory that has reconnectAttempts != 0,
            // e.g. one from JNDI: the relay's own factories leave reconnecting to the relay.
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
    }

    /**
     * Sequencer: forwards one event from the ingress queue to the topic (on the sequencer
     * session's thread), and acknowledges it once the broker has the copy.
     */
    private void republish(Message message, Session session, MessageProducer toTopic, Events events) {
        String json;
        String group;
        try {
            String body = message instanceof TextMessage text ? text.getText() : null;
            if (body == null) {
                throw new IllegalArgumentException("not a text message");
            }
            json = message.propertyExists(NODE) ? body : events.admit(body);
            group = message.getStringProperty(GROUP);
        } catch (JMSException e) {
            events.failed(this, e);
            return;
        } catch (RuntimeException refused) {
            events.refused(refused.getMessage());
            acknowledge(message, events);
            return;
        }
        try {
            TextMessage copy = session.createTextMessage(json);
            if (group != null) {
                copy.setStringProperty(GROUP, group);
            }
            toTopic.send(copy, new CompletionListener() {
                @Override
                public void onCompletion(Message sent) {
                    acknowledge(message, events);
                }

                @Override
                public void onException(Message sent, Exception e) {
                    // Not acknowledged: the broker gives it again, here or to another node, once
                    // this link is replaced (the relay drops the repeat if the first copy got through).
                    events.failed(ArtemisLink.this, e);
                }
            });
        } catch (JMSException | RuntimeException e) {
            events.failed(this, e);
        }
    }

    private void acknowledge(Message message, Events events) {
        try {
            message.acknowledge();
        } catch (JMSException | RuntimeException e) {
            if (!closed) {
                events.failed(this, e instanceof JMSException j ? j : new JMSException(String.valueOf(e)));
            }
        }
    }

    /**
     * Sends {@code json} to the ingress queue in {@code group}; {@code done} completes when the
     * broker has it, or exceptionally when it cannot be sent. Relay thread only.
     */
    void publish(String json, String group, String node, CompletableFuture<Void> done) {
        try {
            TextMessage message = producerSession.createTextMessage(json);
            message.setStringProperty(GROUP, group);
            message.setStringProperty(NODE, node);
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

    /** Closes both connections (sessions, consumers and producers with them). Never throws. */
    void close() {
        closed = true;
        closeQuietly(consumerConnection);
        closeQuietly(producerConnection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // closing a connection whose broker is gone may complain; it is closed all the same
        }
    }
}
