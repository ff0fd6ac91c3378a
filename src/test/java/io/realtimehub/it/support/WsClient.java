package io.realtimehub.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.json.JsonObject;

/**
 * A WebSocket test client on java.net.http. Every complete text message (partial frames are joined) is one
 * JSON event and lands in a queue that the test reads with {@link #next}, {@link #awaitType} and friends.
 *
 * <pre>
 * try (WsClient ws = WsClient.connect(WsClient.uri(base, "ws?channels=map"))) {
 *     JsonObject welcome = ws.awaitType("welcome", Duration.ofSeconds(5));
 *     ws.send("{\"type\":\"ping\"}");
 *     ws.awaitType("pong", Duration.ofSeconds(5));
 * }
 * </pre>
 *
 * Reading is demand-driven, one message at a time: {@link #pauseReading()} stops asking for more, so the
 * server's frames back up in the socket buffers, which is how a test plays a slow client.
 */
public final class WsClient implements AutoCloseable {

    /** Close code recorded when the connection ended without a close frame (RFC 6455: 1006). */
    public static final int ABNORMAL_CLOSURE = 1006;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile Throwable error;
    private volatile WebSocket socket;

    // Demand: at most one request(1) outstanding, and none while paused.
    private final Object demandLock = new Object();
    private boolean reading;
    private boolean demandOutstanding;

    private WsClient(URI uri, boolean reading) {
        this.uri = uri;
        this.reading = reading;
    }

    /** ws:// URI for {@code path} (with its query) under the deployment URL, e.g. {@code uri(base, "ws?channels=a,b")}. */
    public static URI uri(URL base, String path) {
        URI http = Http.uri(base, path);
        // swap the scheme only: rebuilding the URI from its parts would encode escapes a second time
        String scheme = "https".equals(http.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + http.toString().substring(http.getScheme().length()));
    }

    public static WsClient connect(URI uri) {
        return builder(uri).connect();
    }

    public static WsClient connect(URI uri, String origin) {
        return builder(uri).origin(origin).connect();
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * The handshake's HTTP status: 101 when the upgrade succeeded (the connection is closed again at once),
     * else what the server answered, e.g. 403 for a refused Origin.
     */
    public static int handshakeStatus(URI uri, String origin) {
        Builder builder = builder(uri);
        if (origin != null) {
            builder.origin(origin);
        }
        try (WsClient ws = builder.connect()) {
            return 101;
        } catch (HandshakeFailed e) {
            return e.status();
        }
    }

    public static final class Builder {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean reading = true;
        private Duration connectTimeout = CONNECT_TIMEOUT;

        private Builder(URI uri) {
            this.uri = uri;
        }

        public Builder origin(String origin) {
            return header("Origin", origin);
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Connects without reading anything: a client that is slow from its first frame on. */
        public Builder paused() {
            reading = false;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connectTimeout = timeout;
            return this;
        }

        /** Opens the connection; throws {@link HandshakeFailed} when the server refuses the upgrade. */
        public WsClient connect() {
            WsClient client = new WsClient(uri, reading);
            WebSocket.Builder builder = Http.CLIENT.newWebSocketBuilder().connectTimeout(connectTimeout);
            headers.forEach(builder::header);
            try {
                client.socket = builder.buildAsync(uri, client.new Listener())
                        .get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                return client;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h) {
                    throw new HandshakeFailed(uri, h.getResponse().statusCode(), h);
                }
                throw new UncheckedIOException(new IOException("WebSocket connect to " + uri + " failed", e.getCause()));
            } catch (TimeoutException e) {
                throw new UncheckedIOException(new IOException("WebSocket connect to " + uri + " timed out", e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to " + uri, e);
            }
        }
    }

    /** The server answered the opening handshake with something other than 101. */
    public static final class HandshakeFailed extends RuntimeException {
        private final int status;

        HandshakeFailed(URI uri, int status, Throwable cause) {
            super("WebSocket handshake to " + uri + " answered " + status, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    // ---- receiving

    /** The next message; fails the test when none arrives within {@code timeout}. */
    public String next(Duration timeout) {
        String frame = poll(timeout);
        if (frame == null) {
            throw new AssertionError("no WebSocket message within " + timeout + describeState());
        }
        return frame;
    }

    public JsonObject nextEvent(Duration timeout) {
        return Json.object(next(timeout));
    }

    /** The next message, or null when none arrives within {@code timeout}. */
    public String poll(Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Takes messages until one matches (the others are dropped) and returns it; fails after {@code timeout}. */
    public String awaitMatching(Predicate<String> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String frame = left > 0 ? poll(Duration.ofNanos(left)) : queue.poll();
            if (frame == null) {
                throw new AssertionError("no matching WebSocket message within " + timeout
                        + "; skipped " + skipped.size() + ": " + Json.abbreviate(String.valueOf(skipped)) + describeState());
            }
            if (predicate.test(frame)) {
                return frame;
            }
            skipped.add(frame);
        }
    }

    /** Like {@link #awaitMatching} on parsed events. */
    public JsonObject awaitEvent(Predicate<JsonObject> predicate, Duration timeout) {
        return Json.object(awaitMatching(frame -> predicate.test(Json.object(frame)), timeout));
    }

    /** The next event whose "type" is {@code type}, e.g. "welcome", "ack", "message". */
    public JsonObject awaitType(String type, Duration timeout) {
        return awaitEvent(event -> type.equals(Json.string(event, "type")), timeout);
    }

    /** Fails if any message arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        String frame = poll(quiet);
        if (frame != null) {
            throw new AssertionError("unexpected WebSocket message: " + Json.abbreviate(frame));
        }
    }

    /** Takes every message queued now, without waiting. */
    public List<String> drain() {
        List<String> frames = new ArrayList<>();
        queue.drainTo(frames);
        return frames;
    }

    /** Every message received since connect, including those already taken. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Stops asking the connection for messages (at most one already requested may still arrive). */
    public void pauseReading() {
        synchronized (demandLock) {
            reading = false;
        }
    }

    public void resumeReading() {
        synchronized (demandLock) {
            reading = true;
        }
        requestIfReading(socket);
    }

    // ---- sending and closing

    /** Sends one text message and waits until it is handed to the socket. */
    public synchronized void send(String text) {
        await(socket.sendText(text, true), "send");
    }

    /** Sends a fragment of a text message; the last one has {@code last = true}. */
    public synchronized void sendFragment(String text, boolean last) {
        await(socket.sendText(text, last), "send");
    }

    /** Closes with 1000 and waits for the server's close (drops the connection if it does not come). Idempotent. */
    @Override
    public void close() {
        close(WebSocket.NORMAL_CLOSURE, "");
    }

    public synchronized void close(int code, String reason) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        resumeReading(); // a paused client would never see the server's close frame
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(code, reason).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the connection may already be gone: abort below
            }
        }
        try {
            closed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            abort();
        }
    }

    /** Drops the TCP connection without a close frame, as a crashed browser or a lost network would. */
    public void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closed.complete(ABNORMAL_CLOSURE);
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** The close code the server sent (1006 if the connection just ended), or null while open. */
    public Integer closeStatus() {
        return closed.getNow(null);
    }

    public String closeReason() {
        return closeReason;
    }

    public Throwable error() {
        return error;
    }

    /** Waits for the connection to close and returns the close code; fails after {@code timeout}. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("WebSocket " + uri + " still open after " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public URI uri() {
        return uri;
    }

    @Override
    public String toString() {
        return "WsClient[" + uri + describeState() + "]";
    }

    private String describeState() {
        Integer status = closeStatus();
        return status == null ? "" : " (closed " + status + (closeReason == null ? "" : " " + closeReason)
                + (error == null ? "" : ", error " + error) + ")";
    }

    private void await(CompletableFuture<?> future, String what) {
        try {
            future.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException(what + " on " + uri + " failed", e.getCause()));
        } catch (TimeoutException e) {
            throw new AssertionError(what + " on " + uri + " not done within " + SEND_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void requestIfReading(WebSocket ws) {
        if (ws == null) {
            return;
        }
        synchronized (demandLock) {
            if (!reading || demandOutstanding) {
                return;
            }
            demandOutstanding = true;
        }
        // outside the lock: request() may deliver the next message on this very thread
        ws.request(1);
    }

    private void consumedOne() {
        synchronized (demandLock) {
            demandOutstanding = false;
        }
    }

    /** Callbacks come one at a time (the JDK serialises them), so {@code partial} needs no lock. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            socket = ws;
            requestIfReading(ws);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            consumedOne();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                received.add(frame);
                queue.add(frame);
            }
            requestIfReading(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            consumedOne();
            requestIfReading(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            consumedOne(); // the JDK answers with a pong itself
            requestIfReading(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            consumedOne();
            requestIfReading(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null; // the JDK then answers the close
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            error = e;
            closed.complete(ABNORMAL_CLOSURE);
        }
    }
}
