package io.realtimehub.transport;

import io.realtimehub.auth.Access;
import io.realtimehub.core.Admission;
import io.realtimehub.core.ClientSession;
import io.realtimehub.core.ConnectRequest;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Hub;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The subscribing end of every HTTP transport (poll, jsonp, iframe, sse): validates the request,
 * asks {@link Admission} whether a new client may come in, suspends it, connects the client to the hub and lets an {@link HttpConnection} write in the
 * transport's {@link FrameFormat}. No container thread waits for events.
 */
public final class TransportServlet extends HubServlet {
    /** Per transport: how long a response may last and how big it may grow. */
    public record Settings(int defaultPollSeconds, int maxPollSeconds, StreamLimits streamLimits) {
    }

    private final Hub hub;
    private final Admission admission;
    private final FrameFormat format;
    private final Settings settings;
    private final ScheduledExecutorService timer;
    private final Access access;

    public TransportServlet(Hub hub, Access access, Admission admission, FrameFormat format, Settings settings,
                            Origins origins, ScheduledExecutorService timer) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.access = access;
        this.admission = admission;
        this.format = format;
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!format.needsCallback()) {
            Responses.checkOrigin(origins, request); // JSONP and the iframe are read-only for any origin
        }
        String callback = format.needsCallback() ? Callbacks.require(request.getParameter("callback")) : null;
        List<String> channels = Names.channels(request.getParameter("channels"),
                hub.settings().defaultChannel(), hub.settings().maxChannelsPerClient());
        Names.clientOrNull(request.getParameter("client")); // a bad id is a 400 before anything else
        Grant grant = access.subscriber(RequestCredentials.of(request));
        String since = since(request);
        StreamLimits limits = format.streaming() ? settings.streamLimits()
                : new StreamLimits(1000L * intParam(request, "timeout", settings.defaultPollSeconds(), 0,
                settings.maxPollSeconds()), Long.MAX_VALUE, 0);
        var connect = new ConnectRequest(grant, format.transport(), channels, since, format.streaming());
        connect.checkAllowed();
        // A new client may be refused (503 + Retry-After); one with a session here keeps polling.
        admission.admit(hub.session(grant.client()) != null);

        response.setContentType(format.contentType());
        if (format.streaming()) {
            response.setHeader("X-Accel-Buffering", "no"); // nginx: stream through, whatever its config
        }
        AsyncContext async = request.startAsync();
        var connection = new HttpConnection(async, format, callback, limits, hub.metrics(), timer);
        ClientSession session;
        try {
            session = hub.connect(connect, connection);
        } catch (Rejection rejection) {
            Responses.reject(metrics, response, rejection);
            async.complete();
            return;
        }
        connection.start(session);
    }

    /** SSE resumes from the Last-Event-ID header EventSource sends by itself; every transport from {@code since}. */
    private String since(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        return Names.sinceOrNull(header != null && !header.isEmpty() ? header : request.getParameter("since"));
    }
}
