package io.realtimehub.transport.websocket;

import io.realtimehub.core.Admission;
import io.realtimehub.core.Hub;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.Responses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Checks a WebSocket handshake before the container upgrades it, so that a foreign Origin is
 * refused with 403, bad names with 400 and a new client the node cannot take now
 * ({@link Admission}) with 503 and {@code Retry-After}, each with a plain-text reason: once
 * upgraded, the only answer left would be a close code, and the connection would cost its buffers.
 */
public final class HandshakeFilter extends HttpFilter {
    private final Hub hub;
    private final Admission admission;
    private final Origins origins;

    public HandshakeFilter(Hub hub, Admission admission, Origins origins) {
        this.hub = hub;
        this.admission = admission;
        this.origins = origins;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            try {
                Responses.checkOrigin(origins, request);
                var connect = connectRequest(hub, request.getParameter("channels"), request.getParameter("client"),
                        request.getParameter("since"));
                admission.admit(hub.session(connect.client()) != null);
            } catch (Rejection rejection) {
                response.setHeader("X-Content-Type-Options", "nosniff");
                Responses.reject(response, rejection);
                return;
            }
            chain.doFilter(new HandshakeHeaders(request), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The hub request a WebSocket handshake asks for; throws {@link Rejection} when a name is bad. */
    static Hub.ConnectRequest connectRequest(Hub hub, String channels, String client, String since) {
        return new Hub.ConnectRequest(Names.clientOrNull(client), "websocket",
                Names.channels(channels, hub.settings().defaultChannel(), hub.settings().maxChannelsPerClient()),
                Names.sinceOrNull(since), true);
    }
}
