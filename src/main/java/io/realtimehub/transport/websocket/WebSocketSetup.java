package io.realtimehub.transport.websocket;

import io.realtimehub.core.Hub;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.concurrent.Executor;

/** Registers the {@code /ws} endpoint with the container, handing each instance the hub. */
public final class WebSocketSetup {
    private WebSocketSetup() {
    }

    public static void register(ServletContext context, Hub hub, HubEndpoint.Settings settings, Executor closer) {
        var container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("the container offers no WebSocket support (JSR 356)");
        }
        var config = ServerEndpointConfig.Builder.create(HubEndpoint.class, "/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new HubEndpoint(hub, settings, closer));
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
