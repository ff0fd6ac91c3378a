package io.realtimehub.core;

import java.util.concurrent.CompletionStage;

/**
 * What carries published events to every node, the publishing one included. The hub sends
 * every event here and delivers only what the relay hands back, in the order it hands it back:
 * that order is the channel's order on every node. Implementations know nothing of transports.
 */
public interface Relay {
    /** Receives what the relay delivers, on one thread at a time, in relay order. */
    interface Listener {
        void onEvent(Event event);

        /**
         * An event sent to the relay by something other than a node (a service in the estate
         * sending JMS to the ingress queue): {@code body} is {@code {"channel","data","from"?}}.
         * Returns the event's JSON, validated and stamped as a publish would be; throws
         * {@link Rejection} to refuse it.
         */
        default String admit(String body) {
            throw Rejection.badRequest("this node does not take events from other senders");
        }

        /** The relay went down or came back (a reconnect may have lost events: the hub may react). */
        default void onRelayState(boolean up) {
        }
    }

    /** Starts delivering to {@code listener}; returns without waiting for a broker to be reachable. */
    void start(Listener listener);

    /**
     * Hands {@code event} to the relay and returns at once. The stage completes when the relay
     * has the event for good (for a broker: when the broker confirmed it), or exceptionally with
     * a {@link Rejection} of code {@code unavailable}: an event is never dropped silently. Never
     * throws, never blocks; the stage may complete on a thread of the relay's.
     */
    CompletionStage<Void> send(Event event);

    /** Whether events sent now would reach the other nodes. */
    boolean isUp();

    /** A short description for logs and /health, e.g. "local" or "artemis tcp://...". */
    String describe();

    void stop();
}
