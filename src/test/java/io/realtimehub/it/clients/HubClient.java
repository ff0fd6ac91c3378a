package io.realtimehub.it.clients;

import io.realtimehub.it.support.TestKeys;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of one transport, behaving as a real client does: it keeps its client id,
 * re-polls or re-opens a recycled stream with {@code since} = the last event id it saw, and
 * records every event it receives, in order. Its id goes with the id's resume key: the one
 * {@code welcome} gave, or for an id the test chose, the one {@link TestKeys} mints.
 */
public abstract class HubClient implements AutoCloseable {
    public static final List<String> TRANSPORTS = List.of("websocket", "poll", "jsonp", "iframe", "sse");

    protected final URI base;
    protected final String channels;
    protected volatile String client;
    protected volatile String key;
    protected volatile String lastId;
    protected volatile boolean closed;
    private final List<JsonObject> history = new ArrayList<>();
    private final java.util.Map<JsonObject, Long> arrivals = new java.util.IdentityHashMap<>();

    protected HubClient(URI base, String client, String channels, String since) {
        this.base = base;
        this.client = client;
        this.key = client == null ? null : TestKeys.key(client);
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

    /** Runs a client's receive loop on a daemon thread of its own. */
    protected Thread startLoop(Runnable loop) {
        Thread thread = new Thread(loop, transport() + "-client-" + client);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Called by implementations for every event, in arrival order. */
    protected void received(JsonObject event) {
        if (event.get("id") instanceof JsonString id) {
            lastId = id.getString();
        }
        if ("welcome".equals(type(event)) && event.get("client") instanceof JsonString id) {
            boolean same = id.getString().equals(client);
            client = id.getString();
            if (event.get("key") instanceof JsonString given) {
                key = given.getString();
            } else if (!same) {
                key = TestKeys.key(client); // a server that sends no key (yet) ignores it
            }
        }
        if ("welcome".equals(type(event)) && lastId == null && event.get("since") instanceof JsonString cursor) {
            lastId = cursor.getString(); // no event seen yet: the subscription's cursor resumes it anywhere
        }
        if ("reset".equals(type(event))) {
            lastId = null; // that since is useless now; live events follow
        }
        synchronized (history) {
            history.add(event);
            arrivals.put(event, System.currentTimeMillis());
            history.notifyAll();
        }
    }

    public String client() {
        return client;
    }

    /** The resume key that goes with {@link #client()} (null before the first welcome). */
    public String key() {
        return key;
    }

    public String lastId() {
        return lastId;
    }

    /** When {@code event} (one of this client's) arrived, in epoch milliseconds. */
    public long receivedAt(JsonObject event) {
        synchronized (history) {
            return arrivals.get(event);
        }
    }

    /** Every event received so far, in order. */
    public List<JsonObject> events() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The messages received so far on {@code channel}, in order. */
    public List<JsonObject> messages(String channel) {
        return events().stream()
                .filter(e -> "message".equals(type(e)) && channel.equals(string(e, "channel"))).toList();
    }

    /** The first event received (now or within {@code timeout}) that matches; fails listing what came. */
    public JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (history) {
            while (true) {
                for (JsonObject event : history) {
                    if (match.test(event)) {
                        return event;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(transport() + " client " + client + ": no matching event in " + timeout
                            + "; got " + history);
                }
                TimeUnit.NANOSECONDS.timedWait(history, left);
            }
        }
    }

    /** Waits until {@code count} messages have come on {@code channel}; returns the first {@code count}. */
    public List<JsonObject> awaitMessages(String channel, int count, Duration timeout) throws InterruptedException {
        return awaitCount(e -> "message".equals(type(e)) && channel.equals(string(e, "channel")), count, timeout);
    }

    /** Waits until {@code count} received events match; returns the first {@code count} of them. */
    public List<JsonObject> awaitCount(Predicate<JsonObject> match, int count, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (history) {
            while (true) {
                List<JsonObject> matching = history.stream().filter(match).toList();
                if (matching.size() >= count) {
                    return matching.subList(0, count);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(transport() + " client " + client + ": " + matching.size() + " of "
                            + count + " expected events in " + timeout + "; got " + history);
                }
                TimeUnit.NANOSECONDS.timedWait(history, left);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The query string every subscribing transport takes. */
    protected String query() {
        var q = new StringBuilder("channels=").append(encode(channels));
        q.append(identity());
        if (lastId != null) {
            q.append("&since=").append(encode(lastId));
        }
        return q.toString();
    }

    /** {@code &client=ID&key=KEY}, or nothing before the client has an id. */
    protected String identity() {
        String id = client;
        String k = key;
        return id == null ? "" : "&client=" + encode(id) + (k == null ? "" : "&key=" + encode(k));
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
