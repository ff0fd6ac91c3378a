package io.realtimehub.core;

/**
 * What a transport attaches to a {@link ClientSession} while it can deliver: an open WebSocket,
 * a stream, or the long-poll waiting now. The session owns the queue; the connection only drains it.
 */
public interface Connection {
    /** Why the server ends a connection. */
    enum CloseReason {
        /** the client's outbox overflowed: it did not read fast enough */
        SLOW_CONSUMER,
        /** another connection of the same client took over */
        REPLACED,
        /** the session ended (evicted, unsubscribed from everything, or moved to another node) */
        SESSION_ENDED,
        /** the node is shutting down: the client should reconnect elsewhere at once */
        SHUTDOWN,
        /** the credential (a token) expired: the client resumes with a fresh one; its session stays */
        EXPIRED
    }

    /** The transport's wire name: websocket, poll, jsonp, iframe or sse. */
    String transport();

    /**
     * How long the server may hold this connection before the client must come back: a
     * long-poll's timeout; 0 for a stream, which the client keeps open. Presence waits this long
     * plus the grace before a client that has not come back leaves.
     */
    default long holdMillis() {
        return 0;
    }

    /**
     * Events are waiting in the session's outbox. Called on any thread, often the relay's:
     * must return at once and drain on the connection's own schedule, one write in flight.
     */
    void wake();

    /** Ends the connection from the server side. Must not block. */
    void close(CloseReason reason);
}
