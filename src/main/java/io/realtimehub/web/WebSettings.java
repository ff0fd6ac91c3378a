package io.realtimehub.web;

import io.realtimehub.core.HubSettings;
import io.realtimehub.transport.StreamLimits;
import io.realtimehub.transport.TransportServlet;
import io.realtimehub.transport.websocket.HubEndpoint;
import io.realtimehub.transport.websocket.WebSocketSetup;

import java.util.function.Function;

/** Settings of the transports and the web layer (the core has its own: {@link HubSettings}). */
record WebSettings(
        String origins,
        boolean jsonpPublish,
        int pollTimeoutSeconds,
        int pollMaxTimeoutSeconds,
        long iframeMaxAgeMillis,
        long iframeMaxBytes,
        long sseMaxAgeMillis,
        long heartbeatMillis,
        int wsMaxMessageBytes,
        long wsSendTimeoutMillis,
        long wsIdleTimeoutMillis,
        long wsCloseTimeoutMillis,
        long statsIntervalMillis,
        int wsTextBuffer,
        int wsBinaryBuffer,
        int admissionMaxClients,
        int admissionHeapPercent,
        int admissionRetryAfterSeconds,
        long streamProbeMillis) {

    static WebSettings from(Function<String, String> lookup, HubSettings hub) {
        var get = new HubSettings.Reader(lookup);
        return new WebSettings(
                get.string("hub.origins", null),
                get.bool("hub.jsonp.publish", false),
                get.integer("hub.poll.timeout", 25, 0),
                get.integer("hub.poll.maxTimeout", 60, 1),
                get.integer("hub.iframe.maxAge", 25, 1) * 1000L,
                get.integer("hub.iframe.maxBytes", 64 * 1024, 1024),
                get.integer("hub.sse.maxAge", 300, 1) * 1000L,
                get.integer("hub.heartbeat", 15, 1) * 1000L,
                get.integer("hub.ws.maxMessage", Math.max(hub.maxEventBytes() * 4, 64 * 1024), 1024),
                get.integer("hub.ws.sendTimeout", 30, 1) * 1000L,
                get.integer("hub.ws.idleTimeout", 120, 0) * 1000L,
                get.integer("hub.ws.closeTimeout", 2, 1) * 1000L,
                get.integer("hub.stats.interval", 60, 0) * 1000L,
                get.integer("hub.ws.textBuffer", 256, 16),
                get.integer("hub.ws.binaryBuffer", 32, 16),
                get.integer("hub.admission.maxClients", -1, 0), // unset: derived (AdmissionSetup)
                Math.min(100, get.integer("hub.admission.heapPercent", 70, 10)),
                get.integer("hub.admission.retryAfter", 5, 1),
                get.integer("hub.stream.probe", 1, 0) * 1000L);
    }

    HubEndpoint.Settings wsSettings() {
        return new HubEndpoint.Settings(wsMaxMessageBytes, wsSendTimeoutMillis, wsIdleTimeoutMillis, wsCloseTimeoutMillis);
    }

    WebSocketSetup.Buffers wsBuffers() {
        return new WebSocketSetup.Buffers(wsTextBuffer, wsBinaryBuffer);
    }

    TransportServlet.Settings poll() {
        return new TransportServlet.Settings(pollTimeoutSeconds, pollMaxTimeoutSeconds, null);
    }

    TransportServlet.Settings iframe() {
        return new TransportServlet.Settings(0, 0, new StreamLimits(iframeMaxAgeMillis, iframeMaxBytes, streamBeatMillis()));
    }

    TransportServlet.Settings sse() {
        return new TransportServlet.Settings(0, 0, new StreamLimits(sseMaxAgeMillis, Long.MAX_VALUE, streamBeatMillis()));
    }

    /**
     * How often a stream writes its heartbeat: a server only learns that a client dropped a
     * stream (tab killed, network gone) when a write fails, so streams are probed every
     * {@code hub.stream.probe} seconds (a few bytes), and a dropped one leaves within the presence
     * grace plus about two probes; 0 leaves only the heartbeat of {@code hub.heartbeat}.
     */
    private long streamBeatMillis() {
        return streamProbeMillis > 0 ? Math.min(heartbeatMillis, streamProbeMillis) : heartbeatMillis;
    }
}
