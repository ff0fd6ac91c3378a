package io.realtimehub.transport.websocket;

import io.realtimehub.auth.Access;
import io.realtimehub.core.Hub;
import io.realtimehub.core.Rejection;
import io.realtimehub.transport.RequestCredentials;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.concurrent.Executor;

/**
 * Registers the {@code /ws} endpoint with the container, handing each instance the hub, and sizes
 * the container's per-session message buffers. Tomcat allocates both in full for every session
 * (8 KiB of bytes and 8 K chars by default: 24 KB of heap per connection); the hub's endpoint
 * takes text in parts and no binary messages, so small buffers cost nothing but a few more parts
 * for a long publish. The standard API sets them for this WAR's sessions only.
 */
public final class WebSocketSetup {
    /** Per-session message buffers: text in characters, binary in bytes. */
    public record Buffers(int text, int binary) {
    }

    private WebSocketSetup() {
    }

    /** The user property of a handshake's session that holds its {@link io.realtimehub.core.Grant}. */
    static final String GRANT = "io.realtimehub.grant";

    public static void register(ServletContext context, Hub hub, Access access, HubEndpoint.Settings settings,
                                Buffers buffers, Executor closer) {
        var container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("the container offers no WebSocket support (JSR 356)");
        }
        container.setDefaultMaxTextMessageBufferSize(buffers.text());
        container.setDefaultMaxBinaryMessageBufferSize(buffers.binary());
        var config = ServerEndpointConfig.Builder.create(HubEndpoint.class, "/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new HubEndpoint(hub, settings, closer));
                    }

                    /** Who the handshake is, for the endpoint (the handshake filter refused it already if no one). */
                    @Override
                    public void modifyHandshake(ServerEndpointConfig session, HandshakeRequest request,
                                                HandshakeResponse response) {
                        try {
                            session.getUserProperties().put(GRANT, access.subscriber(RequestCredentials.of(
                                    request.getParameterMap(), request.getHeaders(), request.getUserPrincipal(),
                                    request::isUserInRole)));
                        } catch (Rejection refused) {
                            session.getUserProperties().remove(GRANT);
                        }
                    }
                })
                .build();
        try {
            container.addEndpoint(config);
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot register the WebSocket endpoint", e);
        }
    }
}
