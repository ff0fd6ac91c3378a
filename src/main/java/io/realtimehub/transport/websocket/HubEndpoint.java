package io.realtimehub.transport.websocket;

import io.realtimehub.core.ClientSession;
import io.realtimehub.core.Connection;
import io.realtimehub.core.Event;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Hub;
import io.realtimehub.core.JsonText;
import io.realtimehub.core.Rejection;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JSR-356 endpoint at {@code /ws}: one instance per connection. Frames from the client are
 * publish, subscribe, unsubscribe and ping; anything malformed is answered with an {@code error}
 * event and the connection stays open.
 */
public final class HubEndpoint extends Endpoint {
    private static final Logger LOG = Logger.getLogger(HubEndpoint.class.getName());

    /** What every endpoint instance shares. */
    public record Settings(int maxMessageBytes, long sendTimeoutMillis, long idleTimeoutMillis, long closeTimeoutMillis) {
    }

    /**
     * Tomcat writes a close frame with a blocking write, on the container thread that read the
     * client's close, and waits first for the send in flight. With clients that stopped reading,
     * a mass close would park every container thread for Tomcat's default 20 s: bound it. A Tomcat
     * user property, ignored elsewhere: Jetty's {@code Session.close} only queues the close frame
     * (it never blocks the calling thread), and a peer that never reads is ended there by the idle
     * timeout ({@code setMaxIdleTimeout}, hub.ws.idleTimeout) like any silent connection.
     */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final Hub hub;
    private final Settings settings;
    private final Executor closer;
    private WebSocketConnection connection;
    private ClientSession session;
    private StringBuilder partial; // a text message arriving in parts; null between messages
    private long lastRateLimitError = System.nanoTime() - 2_000_000_000L;

    HubEndpoint(Hub hub, Settings settings, Executor closer) {
        this.hub = hub;
        this.settings = settings;
        this.closer = closer;
    }

    @Override
    public void onOpen(Session ws, EndpointConfig config) {
        Map<String, List<String>> params = ws.getRequestParameterMap();
        ws.setMaxIdleTimeout(settings.idleTimeoutMillis());
        ws.getAsyncRemote().setSendTimeout(settings.sendTimeoutMillis());
        ws.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, settings.closeTimeoutMillis());
        connection = new WebSocketConnection(ws, hub.metrics(), closer);
        try {
            if (!(config.getUserProperties().get(WebSocketSetup.GRANT) instanceof Grant grant)) {
                throw Rejection.unauthorized("credential refused");
            }
            var request = HandshakeFilter.connectRequest(hub, grant, first(params, "channels"), first(params, "since"));
            session = hub.connect(request, connection);
        } catch (Rejection rejection) { // the handshake filter checks first; this is a safety net
            hub.metrics().refused(rejection.code());
            closer.execute(() -> {
                try {
                    ws.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, rejection.code().wire));
                } catch (java.io.IOException e) {
                    LOG.log(Level.FINE, "close failed", e);
                }
            });
            return;
        }
        connection.attached(session);
        ws.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> onPart(ws, part, last));
    }

    /**
     * Assembles a text message from the parts Tomcat hands over. Tomcat's own limit
     * (maxTextMessageBufferSize) is the size of a buffer it allocates in full for every session that
     * ever sends a message, so it stays at its small default and the hard limit is enforced here.
     */
    private void onPart(Session ws, String part, boolean last) {
        if (last && partial == null) {
            onText(part); // the usual case: the whole message in one part, nothing copied
            return;
        }
        if (partial == null) {
            partial = new StringBuilder(part.length() * 2);
        }
        if (partial.length() + part.length() > settings.maxMessageBytes()) {
            partial = null;
            try {
                ws.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG,
                        "message larger than " + settings.maxMessageBytes() + " characters"));
            } catch (java.io.IOException e) {
                LOG.log(Level.FINE, "close failed", e);
            }
            return;
        }
        partial.append(part);
        if (last) {
            String text = partial.toString();
            partial = null;
            onText(text);
        }
    }

    private void onText(String text) {
        String ref = null;
        try {
            // Over the event limit (with room for the envelope) but under the container's hard limit.
            if (text.length() > hub.settings().maxEventBytes() * 6 + 4096) {
                throw Rejection.tooLarge("frame larger than " + hub.settings().maxEventBytes() + " bytes of data");
            }
            JsonObject frame = JsonText.parseObject(text);
            ref = ref(frame);
            String type = string(frame, "type");
            switch (type == null ? "" : type) {
                case "publish" -> publish(frame, ref);
                case "subscribe" -> hub.subscribe(session, string(frame, "channel"));
                case "unsubscribe" -> hub.unsubscribe(session, string(frame, "channel"));
                case "ping" -> hub.reply(session, Event.pong());
                default -> throw Rejection.badRequest("type must be publish, subscribe, unsubscribe or ping");
            }
        } catch (Rejection rejection) {
            hub.metrics().refused(rejection.code());
            if (!quietRateLimit(rejection, ref)) {
                hub.reply(session, Event.error(rejection.code(), rejection.getMessage(), ref));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unexpected failure handling a frame", e);
            hub.reply(session, Event.error(Rejection.Code.BAD_REQUEST, "frame could not be handled", ref));
        }
    }

    /**
     * A flood of publishes without {@code ref} would otherwise answer each refused frame with an
     * error and overflow the sender's own outbox: one rate-limit error a second says enough.
     */
    private boolean quietRateLimit(Rejection rejection, String ref) {
        if (rejection.code() != Rejection.Code.RATE_LIMITED || ref != null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lastRateLimitError < 1_000_000_000L) {
            return true;
        }
        lastRateLimitError = now;
        return false;
    }

    private void publish(JsonObject frame, String ref) {
        JsonValue data = frame.get("data");
        if (data == null) {
            throw Rejection.badRequest("data is missing");
        }
        var publication = hub.publish(session.grant(), session.id(), session.id(), string(frame, "channel"), data);
        // Acknowledged once the relay has the event; a failure is answered even without ref.
        publication.accepted().whenComplete((event, failure) -> {
            if (failure == null) {
                if (ref != null) {
                    hub.reply(session, Event.ack(ref, event.id()));
                }
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                Rejection refused = cause instanceof Rejection r ? r : Rejection.unavailable("relay send failed; try again shortly");
                hub.metrics().refused(refused.code());
                hub.reply(session, Event.error(refused.code(), refused.getMessage(), ref));
            }
        });
    }

    @Override
    public void onClose(Session ws, CloseReason reason) {
        if (connection == null || session == null) {
            return;
        }
        boolean byClient = !connection.closedByServer();
        connection.closed();
        session.detach(connection, System.currentTimeMillis());
        // A client that says goodbye leaves at once; one that just vanished may resume until the session times out.
        if (byClient && reason.getCloseCode().getCode() == CloseReason.CloseCodes.NORMAL_CLOSURE.getCode()) {
            hub.end(session, Connection.CloseReason.SESSION_ENDED, true);
        }
    }

    @Override
    public void onError(Session ws, Throwable error) {
        LOG.log(Level.FINE, "websocket error", error);
    }

    private static String ref(JsonObject frame) {
        String ref = frame.get("ref") instanceof JsonString s ? s.getString() : null;
        return ref != null && ref.length() <= 128 ? ref : null;
    }

    private static String string(JsonObject frame, String key) {
        JsonValue value = frame.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw Rejection.badRequest(key + " must be a string");
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
