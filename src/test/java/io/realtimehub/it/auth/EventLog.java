package io.realtimehub.it.auth;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The events a client received, in order, and bounded waits for the ones a test expects. */
abstract class EventLog {
    private final List<JsonObject> history = new ArrayList<>();

    /** Who is waiting, for failure messages. */
    abstract String describe();

    /** Whether no more events can come (the connection ended): a wait then fails at once. */
    abstract boolean ended();

    /** Wakes the waiters, e.g. when the connection ended. */
    void wake() {
        synchronized (history) {
            history.notifyAll();
        }
    }

    void record(JsonObject event) {
        synchronized (history) {
            history.add(event);
            history.notifyAll();
        }
    }

    List<JsonObject> events() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    List<JsonObject> messages(String channel) {
        return events().stream().filter(e -> "message".equals(type(e)) && channel.equals(string(e, "channel"))).toList();
    }

    JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        return awaitCount(match, 1, timeout).get(0);
    }

    JsonObject awaitType(String type, Duration timeout) throws InterruptedException {
        return await(e -> type.equals(type(e)), timeout);
    }

    /** The first {@code count} events that match, waiting at most {@code timeout} for them. */
    List<JsonObject> awaitCount(Predicate<JsonObject> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (history) {
            while (true) {
                List<JsonObject> matching = history.stream().filter(match).toList();
                if (matching.size() >= count) {
                    return matching.subList(0, count);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended()) {
                    throw new AssertionError(describe() + ": " + matching.size() + " of " + count
                            + " expected events in " + timeout + "; got " + history);
                }
                TimeUnit.NANOSECONDS.timedWait(history, left);
            }
        }
    }

    static String type(JsonObject event) {
        return string(event, "type");
    }

    static String string(JsonObject event, String name) {
        JsonValue value = event.get(name);
        return value instanceof JsonString s ? s.getString() : null;
    }
}
