package io.realtimehub.it.clients;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of one transport, behaving as a real client does: it keeps its client id,
 * re-polls or re-opens a recycled stream with {@code since} = the last event id it saw, and
 * records every event it receives, in order.
 */
public abstract class HubClient implements AutoCloseable {
    public static final List<String> TRANSPORTS = List.of("websocket", "poll", "jsonp", "iframe", "sse");

    protected final URI base;
    protected final String channels;
    protected volatile String client;
    protected volatile String lastId;
    protected volatile boolean closed;
    private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();

    protected HubClient(URI base, String client, String channels, String since) {
        this.base = base;
        this.client = client;
        this.channels = channels;
        this.lastId = since;
    }

    /** Opens a client of {@code transport} against the WAR at {@code base} (ending in /hub/). */
    public static HubClient open(String transport, URI base, String client, String channels, String since) {
        HubClient c = switch (transport) {
            case "websocket" -> new WebSocketHubClient(base, client, channels, since);
            case "poll" -> new PollingHubClient(base, client, channels, since, false);
            case "jsonp" -> new PollingHubClient(base, client, channels, since, true);
            case "iframe" -> new IframeHubClient(base, client, channels, since);
            case "sse" -> new SseHubClient(base, client, channels, since);
            default -> throw new IllegalArgumentException(transport);
        };
        c.start();
        return c;
    }

    public abstract String transport();

    /** How many responses the server ended and the client replaced (streams); 0 for others. */
    public int responsesEnded() {
        return 0;
    }

    protected abstract void start();

    /** Called by implementations for every event, in arrival order. */
    protected void received(JsonObject event) {
        if (event.get("id") instanceof JsonString id) {
            lastId = id.getString();
        }
        if ("welcome".equals(type(event)) && event.get("client") instanceof JsonString id) {
            client = id.getString();
        }
        inbox.add(event);
    }

    public String client() {
        return client;
    }

    public String lastId() {
        return lastId;
    }

    /** The next event not taken yet, or null after {@code timeout}. */
    public JsonObject next(Duration timeout) throws InterruptedException {
        JsonObject event = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event != null) {
            synchronized (seen) {
                seen.add(event);
            }
        }
        return event;
    }

    /** Takes events until one matches; fails with the events seen when none does in time. */
    public JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<JsonObject> skipped = new ArrayList<>();
        while (System.nanoTime() < end) {
            JsonObject event = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (event != null && match.test(event)) {
                return event;
            }
            if (event != null) {
                skipped.add(event);
            }
        }
        throw new AssertionError(transport() + " client " + client + ": no matching event in " + timeout
                + "; got " + skipped);
    }

    /** Takes events until {@code count} messages on {@code channel} have come; returns them in order. */
    public List<JsonObject> awaitMessages(String channel, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<JsonObject> messages = new ArrayList<>();
        while (messages.size() < count && System.nanoTime() < end) {
            JsonObject event = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (event != null && "message".equals(type(event)) && channel.equals(string(event, "channel"))) {
                messages.add(event);
            }
        }
        if (messages.size() < count) {
            throw new AssertionError(transport() + " client " + client + ": " + messages.size() + " of " + count
                    + " messages in " + timeout);
        }
        return messages;
    }

    /** Every event taken so far with {@link #next}. */
    public List<JsonObject> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Events received but not taken yet (without waiting). */
    public List<JsonObject> drain() {
        List<JsonObject> rest = new ArrayList<>();
        inbox.drainTo(rest);
        synchronized (seen) {
            seen.addAll(rest);
        }
        return rest;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The query string every subscribing transport takes. */
    protected String query() {
        var q = new StringBuilder("channels=").append(encode(channels));
        if (client != null) {
            q.append("&client=").append(encode(client));
        }
        if (lastId != null) {
            q.append("&since=").append(encode(lastId));
        }
        return q.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String type(JsonObject event) {
        return string(event, "type");
    }

    public static String string(JsonObject event, String key) {
        return event.get(key) instanceof JsonString s ? s.getString() : null;
    }
}
