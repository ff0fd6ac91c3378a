package io.realtimehub.relay;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The relay's two connection factories: {@code sends}, whose connection the broker confirms each
 * send on, and {@code consumers}, with no confirmation window (see {@link ArtemisLink}). Either the
 * relay's own for a broker URL, or a factory configured elsewhere plus a consumers' copy of it.
 */
record RelayFactories(ConnectionFactory sends, ConnectionFactory consumers, boolean owned, String name) {

    /** Factories of the relay's own for {@code brokerUrl}; the relay reconnects, so they do not. */
    static RelayFactories own(String brokerUrl, String user, String password) {
        return new RelayFactories(ArtemisClient.ownFactory(brokerUrl, user, password, true),
                ArtemisClient.ownFactory(brokerUrl, user, password, false), true,
                "artemis " + ArtemisClient.withoutQuery(brokerUrl));
    }

    /** A factory looked up from JNDI (named {@code source}); it stays open when the relay stops. */
    static RelayFactories given(ConnectionFactory factory, String source) {
        return new RelayFactories(factory, ArtemisClient.forConsumers(factory, "relay " + source), false,
                "artemis " + (source != null ? source : factory.getClass().getSimpleName()));
    }

    /** Closes what the relay made (its own factories, or the consumers' copy of a given one). */
    void close() {
        if (owned && sends instanceof ActiveMQConnectionFactory artemis) {
            artemis.close();
        }
        if (consumers != sends && consumers instanceof ActiveMQConnectionFactory artemis) {
            artemis.close();
        }
    }
}
