package io.realtimehub.relay;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.remoting.impl.netty.SharedEventLoopGroup;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Artemis client specifics kept out of the relay: the relay's own factory, checks of a given one, queue attributes. */
public final class ArtemisClient {
    private static final Logger LOG = Logger.getLogger(ArtemisClient.class.getName());

    /**
     * Client parameters added to a broker URL that does not set them: detect a silent broker in
     * 5 s (the broker drops us after 15 s), and let no blocking client call (connect, subscribe,
     * close) hang the relay thread longer than 5 s (the library default is 30 s).
     */
    private static final String[][] DEFAULTS = {
            {"clientFailureCheckPeriod", "5000"},
            {"connectionTTL", "15000"},
            {"callTimeout", "5000"},
    };

    private ArtemisClient() {
    }

    /**
     * The relay's own factories: the relay reconnects by itself. With {@code confirmed} the broker
     * confirms each send; without, the broker drops the connection as soon as its socket closes
     * (a confirmation window lets a client reattach, so the broker keeps a dead client's consumers
     * and their unacknowledged messages for the connection TTL).
     */
    static ActiveMQConnectionFactory ownFactory(String brokerUrl, String user, String password, boolean confirmed) {
        var factory = new ActiveMQConnectionFactory(withDefaults(brokerUrl), user, password);
        // One attempt per try: the relay thread retries with its own backoff and stays responsive.
        // The client waits retryInterval before each further broker address of a try (measured: a
        // try against a pair whose ports are both closed took 100 ms with 100, 5 to 25 ms with
        // 10), and after a first connection before the broker topology it learnt (2 s by default,
        // which would slow every reconnect and stop()). With one attempt per address, 10 ms bounds
        // no loop: it only stops a takeover's tries from idling.
        factory.setReconnectAttempts(0);
        factory.setInitialConnectAttempts(1);
        factory.setRetryInterval(10);
        factory.setRetryIntervalMultiplier(1.0);
        // The broker confirms every packet: that confirmation completes a send (without it the
        // client completes sends unconfirmed; with a larger window, only every so many bytes).
        factory.setConfirmationWindowSize(confirmed ? 1 : -1);
        // Fewer events redelivered after a failure (the relay remembers the last 16,384 ids to drop repeats).
        factory.setDupsOKBatchSize(32 * 1024);
        return factory;
    }

    /**
     * The factory for the relay's sends, given the operator's: an Artemis factory whose broker confirms each
     * send ({@code confirmationWindowSize=1}) as it is, another Artemis factory as a copy with that window
     * (without one a send completes as soon as it is written, e.g. WildFly's {@code java:/ConnectionFactory},
     * and Artemis warns AMQ212053 at each send: a publish would be acknowledged before the broker has it);
     * a factory of another kind as it is.
     */
    static ConnectionFactory forSends(ConnectionFactory given, String who, Credentials credentials) {
        if (!(given instanceof ActiveMQConnectionFactory artemis)
                || (artemis.getConfirmationWindowSize() == 1 && credentials == null)) {
            return given;
        }
        try {
            var copy = copy(artemis, credentials);
            if (artemis.getConfirmationWindowSize() != 1) {
                copy.setConfirmationWindowSize(1);
                LOG.info(who + ": the connection factory has confirmationWindowSize=" + artemis.getConfirmationWindowSize()
                        + "; sending over a copy with 1, so a publish is accepted only once the broker has it");
            }
            return copy;
        } catch (Exception e) {
            LOG.warning(who + ": cannot copy the connection factory for sends (" + e + "); with confirmationWindowSize="
                    + artemis.getConfirmationWindowSize() + " a publish may be accepted before the broker has it");
            return given;
        }
    }

    /** hub.relay.user and hub.relay.password for a factory configured elsewhere (e.g. an in-vm one on WildFly). */
    record Credentials(String user, String password) {
        static Credentials of(String user, String password) {
            return user == null ? null : new Credentials(user, password);
        }
    }

    /**
     * A copy of {@code artemis}: its URI, and the client settings that URI does not carry for an in-vm
     * factory (WildFly's: {@code vm://0} with no parameters), so the copy behaves as the original.
     */
    private static ActiveMQConnectionFactory copy(ActiveMQConnectionFactory artemis, Credentials credentials) throws Exception {
        var copy = credentials == null
                ? new ActiveMQConnectionFactory(artemis.toURI().toString(), artemis.getUser(), artemis.getPassword())
                : new ActiveMQConnectionFactory(artemis.toURI().toString(), credentials.user(), credentials.password());
        copy.setEnable1xPrefixes(artemis.isEnable1xPrefixes()); // the addresses' names: jms.queue.hub.events.in or not
        copy.setConfirmationWindowSize(artemis.getConfirmationWindowSize());
        copy.setCallTimeout(artemis.getCallTimeout());
        copy.setCallFailoverTimeout(artemis.getCallFailoverTimeout());
        copy.setClientFailureCheckPeriod(artemis.getClientFailureCheckPeriod());
        copy.setConnectionTTL(artemis.getConnectionTTL());
        copy.setReconnectAttempts(artemis.getReconnectAttempts());
        copy.setRetryInterval(artemis.getRetryInterval());
        copy.setRetryIntervalMultiplier(artemis.getRetryIntervalMultiplier());
        copy.setMaxRetryInterval(artemis.getMaxRetryInterval());
        copy.setConsumerWindowSize(artemis.getConsumerWindowSize());
        copy.setProducerWindowSize(artemis.getProducerWindowSize());
        copy.setDupsOKBatchSize(artemis.getDupsOKBatchSize());
        return copy;
    }

    /**
     * The factory for the relay's consumers, given the operator's: a copy of an Artemis factory
     * without a confirmation window (see {@link ArtemisLink}: with one, the broker keeps a dead
     * node's consumers for the connection TTL); any other factory as it is.
     */
    static ConnectionFactory forConsumers(ConnectionFactory given, String who, Credentials credentials) {
        if (!(given instanceof ActiveMQConnectionFactory artemis)
                || (artemis.getConfirmationWindowSize() < 0 && credentials == null)) {
            return given;
        }
        try {
            var copy = copy(artemis, credentials);
            copy.setConfirmationWindowSize(-1);
            return copy;
        } catch (Exception e) {
            LOG.warning(who + ": cannot copy the connection factory for the consumers (" + e
                    + "); using it as it is: after a node's death its channels may wait for the connection TTL");
            return given;
        }
    }

    /** The durable subscription belongs to this node's name: a second node with the same name is refused. */
    static void claimName(Connection connection, String name) throws JMSException {
        try {
            if (connection.getClientID() == null) {
                connection.setClientID(name);
            }
        } catch (InvalidClientIDException e) {
            throw new JMSException("another node is connected under the name " + name
                    + " (every node needs its own hub.node)");
        }
    }

    /** A producer of the relay's: persistent (or not, as configured), expiring after the retention. */
    static MessageProducer configure(MessageProducer producer, RelayOptions options) throws JMSException {
        producer.setDeliveryMode(options.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        producer.setTimeToLive(options.retentionMillis()); // what a node gone for good leaves behind expires
        producer.setDisableMessageID(true);        // nobody reads them: less work per message
        producer.setDisableMessageTimestamp(true); // the event carries its own ts
        return producer;
    }

    static String withDefaults(String url) {
        var out = new StringBuilder(url);
        for (String[] param : DEFAULTS) {
            if (!url.contains(param[0] + "=")) {
                out.append(out.indexOf("?") < 0 ? '?' : '&').append(param[0]).append('=').append(param[1]);
            }
        }
        return out.toString();
    }

    /** Whether the broker's queue exists and is exclusive; false when that cannot be asked (not an Artemis session). */
    static boolean isExclusive(Session session, Queue queue) throws JMSException {
        if (!(session instanceof ActiveMQSession artemis)) {
            return false;
        }
        try {
            var query = artemis.getCoreSession().queueQuery(SimpleString.of(queue.getQueueName()));
            return query.isExists() && Boolean.TRUE.equals(query.isExclusive());
        } catch (ActiveMQException e) {
            throw new JMSException("cannot query queue " + queue.getQueueName() + ": " + e.getMessage());
        }
    }

    /** A broker URL without its parameters, for logs: parameters may carry credentials. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /**
     * Stops the client library's shared threads (its global pools, Netty's event loops) if the library
     * came with this application, which is the case when the WAR's own copy is loaded: otherwise Tomcat
     * reports them, and the Netty thread-locals they hold, as leaks at every undeploy. A copy the
     * container shares is left alone. Only once no relay of this application runs any more.
     */
    public static void releaseSharedThreads() {
        if (ActiveMQClient.class.getClassLoader() != ArtemisClient.class.getClassLoader()) {
            return;
        }
        ActiveMQClient.clearThreadPools(2, TimeUnit.SECONDS);
        SharedEventLoopGroup.forceShutdown(); // asynchronous: wait (2 s at most) for its threads to end
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long left = deadline - System.nanoTime();
            if (left > 0 && thread.getName().contains("activemq-client")
                    && thread.getContextClassLoader() == ArtemisClient.class.getClassLoader()) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
