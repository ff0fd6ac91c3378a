package io.realtimehub.transport.websocket;

import io.realtimehub.core.ClientSession;
import io.realtimehub.core.Connection;
import io.realtimehub.core.Event;
import io.realtimehub.core.HubMetrics;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A WebSocket attached to a client session. Exactly one asynchronous send is in flight at a time
 * (Tomcat refuses a second one while the first is pending); each completion sends what queued in
 * the meantime: one event as a plain JSON object, several as one text frame holding a JSON array
 * of them, in order (protocol v2), so a busy connection pays one send per batch, not per event.
 * A client that stops reading stalls only its own sends: its outbox fills and the hub's overflow
 * policy ends it.
 */
final class WebSocketConnection implements Connection {
    /** Private-use close code (4000-4999): the token expired; the client resumes with a fresh one. */
    static final jakarta.websocket.CloseReason.CloseCode TOKEN_EXPIRED = CloseCodes.getCloseCode(4001);

    private static final Logger LOG = Logger.getLogger(WebSocketConnection.class.getName());
    /** Largest batch frame (an event larger than this still goes, alone). */
    static final int MAX_BATCH_CHARS = 64 * 1024;

    private final Session ws;
    private final RemoteEndpoint.Async remote;
    private final TextSender sender;
    private final HubMetrics metrics;
    private final java.util.concurrent.atomic.LongAdder delivered;
    /** The one handler of every send (one is in flight at a time), and how many events that send carries. */
    private final SendHandler onSent = this::sent;
    private volatile int inFlight;
    private final Executor closer;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean counted = new AtomicBoolean();
    private volatile ClientSession session;
    private volatile boolean closing;

    WebSocketConnection(Session ws, HubMetrics metrics, Executor closer) {
        this.ws = ws;
        this.remote = ws.getAsyncRemote();
        this.sender = TextSender.of(remote);
        this.metrics = metrics;
        this.delivered = metrics.deliveredCounter(transport());
        this.closer = closer;
    }

    void attached(ClientSession attachedTo) {
        session = attachedTo;
        if (counted.compareAndSet(false, true)) {
            metrics.connectionOpened(transport());
        }
        wake();
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public void wake() {
        if (session != null && !closing && sending.compareAndSet(false, true)) {
            sendNext();
        }
    }

    private void sendNext() {
        List<Event> batch = session.drain(this, MAX_BATCH_CHARS);
        if (batch.isEmpty()) {
            sending.set(false);
            if (session.hasQueuedFor(this)) { // an event arrived between drain() and set(false)
                wake();
            }
            return;
        }
        try {
            inFlight = batch.size();
            sender.send(remote, batch, onSent);
        } catch (RuntimeException e) { // the socket is already closed
            LOG.log(Level.FINE, "send failed", e);
            sending.set(false);
        }
    }

    private void sent(SendResult result) {
        if (result.isOK()) {
            delivered.add(inFlight);
            sendNext();
        } else {
            LOG.log(Level.FINE, "send failed; closing", result.getException());
            sending.set(false);
            close(CloseReason.SESSION_ENDED);
        }
    }

    /**
     * Closes off the caller's thread: closing a socket with a stalled send may block. Once this
     * socket is closing (asked before, or the container reported it closed) it does nothing: in a
     * mass close every send still in flight fails, and a close task for each of those sockets,
     * already closed, made the closer pool start a thread per socket (200 in a 5,000-client close).
     */
    @Override
    public void close(CloseReason reason) {
        if (closing) {
            return;
        }
        closing = true;
        var wsReason = switch (reason) {
            case SLOW_CONSUMER -> new jakarta.websocket.CloseReason(CloseCodes.VIOLATED_POLICY, "slow consumer");
            case SHUTDOWN -> new jakarta.websocket.CloseReason(CloseCodes.GOING_AWAY, "node shutting down");
            case REPLACED -> new jakarta.websocket.CloseReason(CloseCodes.NORMAL_CLOSURE, "replaced by a newer connection");
            case SESSION_ENDED -> new jakarta.websocket.CloseReason(CloseCodes.NORMAL_CLOSURE, "session ended");
            case EXPIRED -> new jakarta.websocket.CloseReason(TOKEN_EXPIRED, "token expired");
        };
        closer.execute(() -> {
            try {
                ws.close(wsReason);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "close failed", e);
            }
        });
    }

    /** Whether the server started closing this socket. */
    boolean closedByServer() {
        return closing;
    }

    void closed() {
        closing = true;
        if (counted.compareAndSet(true, false)) {
            metrics.connectionClosed(transport());
        }
    }
}
