package io.realtimehub.transport.websocket;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The handshake request handed on to the container's upgrade without the list of its header
 * names, except {@code Authorization} when there is one (the endpoint's configurator reads the
 * token in it). Tomcat copies every header it lists into the handshake request that it keeps for the
 * connection's whole life (about 1 KB of strings and maps per connection for the load tool's six
 * headers; a browser's behind nginx sends three times as many); the hub's endpoint reads none of
 * them. Each header can still be read by name, which is how the upgrade itself reads the ones it
 * needs (Upgrade, Connection, Sec-WebSocket-*, Origin). Tomcat only ({@link ContainerTuning}): Jetty
 * builds its upgrade request from the listed names.
 */
final class HandshakeHeaders extends HttpServletRequestWrapper {
    HandshakeHeaders(HttpServletRequest request) {
        super(request);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return getHeader("Authorization") == null ? Collections.emptyEnumeration()
                : Collections.enumeration(List.of("Authorization"));
    }
}
