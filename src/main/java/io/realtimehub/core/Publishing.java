package io.realtimehub.core;

import jakarta.json.JsonValue;

import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * Turns what publishers send into events: checks size, names and rate ({@link Intake},
 * {@link Publishers}), stamps id and time once on this node, and hands the event to the relay.
 * Knows nothing of delivery: what the relay delivers comes back through {@link Hub#onEvent}.
 */
final class Publishing {
    private final Relay relay;
    private final HubMetrics metrics;
    private final Clock clock;
    private final EventIds ids;
    private final Intake intake;
    private final Publishers publishers;

    Publishing(HubSettings settings, Relay relay, HubMetrics metrics, Clock clock, EventIds ids) {
        this.relay = relay;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = ids;
        this.intake = new Intake(settings);
        this.publishers = new Publishers(settings.publishRate(), settings.publishBurst());
    }

    /** See {@link Hub#publish}; a null {@code rateKey} is not rate limited (a trusted back-end). */
    Publication publish(String from, String rateKey, String channel, JsonValue data) {
        String encoded = intake.publish(from, channel, data).encoded();
        if (rateKey != null && !publishers.tryAcquire(rateKey, System.nanoTime())) {
            throw new Rejection(Rejection.Code.RATE_LIMITED, "too many publishes; slow down");
        }
        if (!relay.isUp()) {
            throw Rejection.unavailable("relay is down; try again shortly");
        }
        Event event = Event.message(ids.next(), channel, from, clock.millis(), data, encoded);
        CompletionStage<Event> accepted = relay.send(event).thenApply(sent -> {
            metrics.published();
            return event;
        });
        return new Publication(event, accepted);
    }

    /** See {@link Hub#admit}. */
    String admit(String body) {
        Intake.Checked checked = intake.ingress(body);
        metrics.published();
        return Event.message(ids.next(), checked.channel(), checked.from(), clock.millis(), checked.data(),
                checked.encoded()).json();
    }

    /** Forgets the rate limits of publishers gone quiet (from the sweep). */
    void forgetIdle() {
        publishers.forgetIdle(System.nanoTime());
    }
}
