package io.realtimehub.transport.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only Tomcat gets a handshake with hidden header names: Jetty upgrades from the names it is shown. */
class ContainerTuningTest {

    @Test
    void hidesTheHandshakesHeaderNamesOnTomcatOnly() {
        assertTrue(ContainerTuning.of("Apache Tomcat/10.1.59").hideHandshakeHeaderNames());
        assertTrue(ContainerTuning.of("Apache Tomcat/11.0.24").hideHandshakeHeaderNames());
        assertFalse(ContainerTuning.of("jetty/12.1.12").hideHandshakeHeaderNames());
        assertFalse(ContainerTuning.of("WildFly Full 39.0.1.Final").hideHandshakeHeaderNames());
        assertFalse(ContainerTuning.of(null).hideHandshakeHeaderNames());
    }
}
