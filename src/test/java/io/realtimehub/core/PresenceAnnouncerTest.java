package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence announcements never wait for the relay, and what it refused is sent again, in order. */
class PresenceAnnouncerTest {
    /** A relay whose sends complete only when the test says so. */
    private static final class HeldRelay implements Relay {
        final List<Event> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> answers = new ArrayList<>();

        @Override
        public CompletionStage<Void> send(Event event) {
            sent.add(event);
            var answer = new CompletableFuture<Void>();
            answers.add(answer);
            return answer;
        }

        @Override
        public void start(Listener listener) {
        }

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public String describe() {
            return "held";
        }

        @Override
        public void stop() {
        }
    }

    private static Event join(String client) {
        return Event.presence(Event.JOIN, "id-" + client, "map", 0, client, "poll", "node-1");
    }

    private static List<String> clients(List<Event> events) {
        return events.stream().map(e -> e.presenceField("client")).toList();
    }

    @Test
    void sendsWithoutWaitingAndResendsWhatWasRefusedInOrder() {
        var relay = new HeldRelay();
        var announcer = new PresenceAnnouncer(relay);
        announcer.send(join("a"));
        announcer.send(join("b")); // not held back by a's unanswered send
        assertEquals(List.of("a", "b"), clients(relay.sent));

        relay.answers.get(1).completeExceptionally(Rejection.unavailable("down"));
        relay.answers.get(0).completeExceptionally(Rejection.unavailable("down"));
        announcer.send(join("c")); // after a refusal, later ones wait their turn
        assertEquals(2, relay.sent.size(), "c waits");

        relay.sent.clear();
        announcer.retry();
        assertEquals(List.of("a", "b", "c"), clients(relay.sent));
        relay.answers.forEach(a -> a.complete(null));
        relay.sent.clear();
        announcer.retry();
        assertTrue(relay.sent.isEmpty(), "nothing left to send: " + relay.sent);
    }
}
