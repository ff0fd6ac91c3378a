package io.realtimehub.relay;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The relay's two connection factories: {@code sends}, whose connection the broker confirms each
 * send on, and {@code consumers}, with no confirmation window (see {@link ArtemisLink}). Either the
 * relay's own for a broker URL ({@code given} null), or a factory configured elsewhere ({@code given})
 * with the relay's copies of it where it lacks the window one of them needs.
 */
record RelayFactories(ConnectionFactory sends, ConnectionFactory consumers, ConnectionFactory given, String name) {

    /** Factories of the relay's own for {@code brokerUrl}; the relay reconnects, so they do not. */
    static RelayFactories own(String brokerUrl, String user, String password) {
        return new RelayFactories(ArtemisClient.ownFactory(brokerUrl, user, password, true),
                ArtemisClient.ownFactory(brokerUrl, user, password, false), null,
                "artemis " + ArtemisClient.withoutQuery(brokerUrl));
    }

    /**
     * A factory looked up from JNDI (named {@code source}); it stays open when the relay stops. With
     * {@code credentials} the relay connects as that user (over copies of an Artemis factory).
     */
    static RelayFactories given(ConnectionFactory factory, String source, ArtemisClient.Credentials credentials) {
        return new RelayFactories(ArtemisClient.forSends(factory, "relay " + source, credentials),
                ArtemisClient.forConsumers(factory, "relay " + source, credentials), factory,
                "artemis " + (source != null ? source : factory.getClass().getSimpleName()));
    }

    boolean owned() {
        return given == null;
    }

    /** Closes what the relay made (its own factories, or its copies of a given one), never the given one. */
    void close() {
        if (sends != given && sends instanceof ActiveMQConnectionFactory artemis) {
            artemis.close();
        }
        if (consumers != sends && consumers != given && consumers instanceof ActiveMQConnectionFactory artemis) {
            artemis.close();
        }
    }
}
