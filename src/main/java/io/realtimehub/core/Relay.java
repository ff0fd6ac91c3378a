package io.realtimehub.core;

/**
 * What carries published events to every node, the publishing one included. The hub sends
 * every event here and delivers only what the relay hands back, in the order it hands it back:
 * that order is the channel's order on every node. Implementations know nothing of transports.
 */
public interface Relay {
    /** Receives what the relay delivers, on one thread at a time, in relay order. */
    interface Listener {
        void onEvent(Event event);

        /** The relay went down or came back (a reconnect may have lost events: the hub may react). */
        default void onRelayState(boolean up) {
        }
    }

    /** Starts delivering to {@code listener}; returns without waiting for a broker to be reachable. */
    void start(Listener listener);

    /**
     * Hands {@code event} to the relay. Throws {@link Rejection} with code {@code unavailable}
     * when it cannot be sent: an event is never dropped silently. Must not block for long.
     */
    void send(Event event);

    /** Whether events sent now would reach the other nodes. */
    boolean isUp();

    /** A short description for logs and /health, e.g. "local" or "artemis tcp://...". */
    String describe();

    void stop();
}
