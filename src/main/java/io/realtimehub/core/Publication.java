package io.realtimehub.core;

import java.util.concurrent.CompletionStage;

/**
 * A publish the hub validated and handed to the relay: its event, and the stage that completes
 * once the relay has it for good. Only then may the publisher be told the event was accepted;
 * if the stage fails (a {@link Rejection}, {@code unavailable}), the event was not taken.
 */
public record Publication(Event event, CompletionStage<Event> accepted) {
    public String id() {
        return event.id();
    }
}
