package io.realtimehub.transport.websocket;

import io.realtimehub.auth.Access;
import io.realtimehub.core.ConnectRequest;
import io.realtimehub.core.Admission;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Hub;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.RequestCredentials;
import io.realtimehub.transport.Responses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Checks a WebSocket handshake before the container upgrades it, so that a foreign Origin is
 * refused with 403, bad names with 400, a missing or refused credential with 401/403 and a new client the node cannot take now
 * ({@link Admission}) with 503 and {@code Retry-After}, each with a plain-text reason: once
 * upgraded, the only answer left would be a close code, and the connection would cost its buffers.
 */
public final class HandshakeFilter extends HttpFilter {
    private final Hub hub;
    private final Admission admission;
    private final Origins origins;
    private final Access access;
    private final ContainerTuning tuning;

    public HandshakeFilter(Hub hub, Access access, Admission admission, Origins origins, ContainerTuning tuning) {
        this.hub = hub;
        this.tuning = tuning;
        this.access = access;
        this.admission = admission;
        this.origins = origins;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            try {
                Responses.checkOrigin(origins, request);
                Names.clientOrNull(request.getParameter("client"));
                var connect = connectRequest(hub, access.subscriber(RequestCredentials.of(request)),
                        request.getParameter("channels"), request.getParameter("since"));
                connect.checkAllowed();
                admission.admit(hub.session(connect.client()) != null);
            } catch (Rejection rejection) {
                response.setHeader("X-Content-Type-Options", "nosniff");
                Responses.reject(hub.metrics(), response, rejection);
                return;
            }
            chain.doFilter(tuning.hideHandshakeHeaderNames() ? new HandshakeHeaders(request) : request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The hub request a WebSocket handshake asks for; throws {@link Rejection} when a name is bad. */
    static ConnectRequest connectRequest(Hub hub, Grant grant, String channels, String since) {
        return new ConnectRequest(grant, "websocket",
                Names.channels(channels, hub.settings().defaultChannel(), hub.settings().maxChannelsPerClient()),
                Names.sinceOrNull(since), true);
    }
}
