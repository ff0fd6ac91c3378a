package io.realtimehub.relay;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ArtemisClientTest {
    @Test
    void theConsumersOfAGivenFactoryGetACopyWithoutConfirmationWindow() throws Exception {
        var given = new ActiveMQConnectionFactory("tcp://127.0.0.1:1?confirmationWindowSize=1&callTimeout=1234"
                + "&reconnectAttempts=-1&ha=true", "hub", "secret");
        try (var copy = (ActiveMQConnectionFactory) ArtemisClient.forConsumers(given, "test")) {
            assertNotSame(given, copy);
            assertEquals(-1, copy.getConfirmationWindowSize());
            assertEquals(1, given.getConfirmationWindowSize(), "the operator's factory is left as it is");
            assertEquals(1234, copy.getCallTimeout());
            assertEquals(-1, copy.getReconnectAttempts());
            assertEquals(true, copy.isHA());
            assertEquals("hub", copy.getUser());
            assertEquals("secret", copy.getPassword());
        } finally {
            given.close();
        }
    }

    @Test
    void aFactoryWithoutConfirmationWindowIsUsedAsItIs() {
        var given = new ActiveMQConnectionFactory("tcp://127.0.0.1:1?confirmationWindowSize=-1");
        assertSame(given, ArtemisClient.forConsumers(given, "test"));
        given.close();
    }

    @Test
    void theSendsOfAFactoryWithoutConfirmationWindowGetACopyWhereTheBrokerConfirmsEachSend() throws Exception {
        // as WildFly's java:/ConnectionFactory: no window, the 1.x address prefixes off (the hub's own names)
        var given = new ActiveMQConnectionFactory("tcp://127.0.0.1:1?confirmationWindowSize=-1&callTimeout=1234"
                + "&enable1xPrefixes=false", "hub", "secret");
        try (var copy = (ActiveMQConnectionFactory) ArtemisClient.forSends(given, "test")) {
            assertNotSame(given, copy);
            assertEquals(1, copy.getConfirmationWindowSize());
            assertEquals(-1, given.getConfirmationWindowSize(), "the operator's factory is left as it is");
            assertEquals(1234, copy.getCallTimeout());
            assertEquals(false, copy.isEnable1xPrefixes());
            assertEquals("hub", copy.getUser());
        } finally {
            given.close();
        }
    }

    @Test
    void aFactoryThatConfirmsEachSendIsUsedForSendsAsItIs() {
        var given = new ActiveMQConnectionFactory("tcp://127.0.0.1:1?confirmationWindowSize=1");
        assertSame(given, ArtemisClient.forSends(given, "test"));
        given.close();
    }
}
