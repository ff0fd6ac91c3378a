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
        try (var copy = (ActiveMQConnectionFactory) ArtemisClient.forConsumers(given, "test", null)) {
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
        assertSame(given, ArtemisClient.forConsumers(given, "test", null));
        given.close();
    }

    @Test
    void theSendsOfAFactoryWithoutConfirmationWindowGetACopyWhereTheBrokerConfirmsEachSend() throws Exception {
        // as WildFly's java:/ConnectionFactory: no window, the 1.x address prefixes off (the hub's own names)
        var given = new ActiveMQConnectionFactory("tcp://127.0.0.1:1?confirmationWindowSize=-1&callTimeout=1234"
                + "&enable1xPrefixes=false", "hub", "secret");
        try (var copy = (ActiveMQConnectionFactory) ArtemisClient.forSends(given, "test", null)) {
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
        assertSame(given, ArtemisClient.forSends(given, "test", null));
        given.close();
    }

    @Test
    void hubRelayUserIsTheUserOfBothCopiesOfAGivenFactoryAndAnInVmFactorysSettingsAreKept() throws Exception {
        // as WildFly's in-vm factories: toURI() gives vm://0 without the settings, which the copies keep all the same
        var given = new ActiveMQConnectionFactory("vm://0");
        given.setConfirmationWindowSize(1);
        given.setEnable1xPrefixes(true);
        given.setCallTimeout(4321);
        var credentials = ArtemisClient.Credentials.of("hub", "secret");
        try (var sends = (ActiveMQConnectionFactory) ArtemisClient.forSends(given, "test", credentials);
             var consumers = (ActiveMQConnectionFactory) ArtemisClient.forConsumers(given, "test", credentials)) {
            assertNotSame(given, sends);
            assertEquals("hub", sends.getUser());
            assertEquals("secret", consumers.getPassword());
            assertEquals(1, sends.getConfirmationWindowSize());
            assertEquals(-1, consumers.getConfirmationWindowSize());
            assertEquals(true, sends.isEnable1xPrefixes());
            assertEquals(true, consumers.isEnable1xPrefixes());
            assertEquals(4321, consumers.getCallTimeout());
        } finally {
            given.close();
        }
    }
}
