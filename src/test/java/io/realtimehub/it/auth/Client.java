package io.realtimehub.it.auth;

import io.realtimehub.it.support.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber of one transport carrying credentials: {@code client}+{@code key} (anonymous resume),
 * a token (query {@code token=} or an {@code Authorization: Bearer} header), or any header (Basic).
 * It records every event in order, keeps the welcome's client, key and cursor, re-polls and reopens a
 * recycled stream with {@code since}, and stops, recording why in {@link #end()}, at the first
 * refusal (HTTP status other than 200/101), WebSocket close, or stream ended after an
 * {@code unauthorized} error event. A test reconnects by opening a new client with {@code since}.
 */
final class Client extends EventLog implements AutoCloseable {
    static final List<String> TRANSPORTS = List.of("websocket", "poll", "jsonp", "iframe", "sse");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CALLBACK = "parent.cb";

    /** How a client stopped: an HTTP status and body, a WebSocket close code and reason, or 200 for a stream cut. */
    record End(int code, String reason) {
    }

    final String transport;
    private final URI base;
    private final String channels;
    private final List<String> headers = new ArrayList<>();
    private volatile String client;
    private volatile String key;
    private volatile String token;
    private volatile String lastId;
    private volatile boolean closed;
    private volatile WebSocket ws;
    private volatile InputStream stream;
    private volatile Thread loop;
    private final CompletableFuture<End> end = new CompletableFuture<>();

    Client(String transport, URI base, String channels) {
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException(transport);
        }
        this.transport = transport;
        this.base = base;
        this.channels = channels;
        end.whenComplete((how, failure) -> wake());
    }

    /** Resumes (or claims) {@code client}; {@code key} may be null (an attacker's attempt). */
    Client as(String client, String key) {
        this.client = client;
        this.key = key;
        return this;
    }

    /** The token in the {@code token=} query parameter, as browsers send it. */
    Client token(String token) {
        this.token = token;
        return this;
    }

    Client header(String name, String value) {
        headers.add(name);
        headers.add(value);
        return this;
    }

    Client since(String since) {
        this.lastId = since;
        return this;
    }

    Client start() {
        if (transport.equals("websocket")) {
            openWebSocket();
        } else {
            Thread thread = new Thread(transport.equals("poll") || transport.equals("jsonp") ? this::pollLoop : this::streamLoop,
                    transport + "-auth-client");
            thread.setDaemon(true);
            loop = thread;
            thread.start();
        }
        return this;
    }

    String client() {
        return client;
    }

    String key() {
        return key;
    }

    String lastId() {
        return lastId;
    }

    CompletableFuture<End> end() {
        return end;
    }

    /** Why it stopped, waiting at most {@code timeout}; fails if it is still going. */
    End awaitEnd(Duration timeout) {
        try {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(transport + " client " + client + " still going after " + timeout
                    + "; got " + events(), e);
        }
    }

    private String query() {
        var q = new StringBuilder("channels=").append(encode(channels));
        append(q, "client", client);
        append(q, "key", key);
        append(q, "token", token);
        if (!transport.equals("sse")) {
            append(q, "since", lastId);
        }
        return q.toString();
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append('&').append(name).append('=').append(encode(value));
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder;
    }

    private void openWebSocket() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?" + query());
        var builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        var partial = new StringBuilder();
        try {
            ws = builder.buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
                    partial.append(text);
                    if (last) {
                        String frame = partial.toString();
                        partial.setLength(0);
                        if (frame.startsWith("[")) {
                            Json.array(frame).forEach(e -> received(e.asJsonObject()));
                        } else {
                            received(Json.object(frame));
                        }
                    }
                    socket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    end.complete(new End(code, reason));
                    return null;
                }

                @Override
                public void onError(WebSocket socket, Throwable error) {
                    end.complete(new End(1006, String.valueOf(error)));
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                end.complete(new End(refused.getResponse().statusCode(), body == null ? "" : body.toString()));
            } else {
                end.complete(new End(-1, String.valueOf(e.getCause())));
            }
        } catch (Exception e) {
            end.complete(new End(-1, String.valueOf(e)));
        }
    }

    private void pollLoop() {
        boolean jsonp = transport.equals("jsonp");
        while (!closed) {
            String path = (jsonp ? "jsonp?callback=" + CALLBACK + "&" : "poll?") + query() + "&timeout=5";
            try {
                HttpResponse<String> response = HTTP.send(request(path, Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                String body = response.body();
                if (response.statusCode() != 200) {
                    end.complete(new End(response.statusCode(), body));
                    return;
                }
                if (jsonp) {
                    body = body.substring(CALLBACK.length() + 1, body.length() - 2);
                }
                if (!closed) {
                    Json.array(body).forEach(e -> received(e.asJsonObject()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    end.complete(new End(-1, String.valueOf(e)));
                }
                return;
            }
        }
    }

    private void streamLoop() {
        boolean sse = transport.equals("sse");
        while (!closed) {
            var builder = request(sse ? "sse?" + query() : "iframe?callback=" + CALLBACK + "&" + query(),
                    Duration.ofMinutes(2));
            String since = lastId;
            if (sse && since != null) {
                builder.header("Last-Event-ID", since); // what EventSource sends when it reconnects
            }
            try {
                HttpResponse<InputStream> response = HTTP.send(builder.GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                stream = response.body();
                if (response.statusCode() != 200) {
                    end.complete(new End(response.statusCode(), new String(stream.readAllBytes(), StandardCharsets.UTF_8)));
                    return;
                }
                var data = new StringBuilder();
                try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while (!closed && (line = reader.readLine()) != null) {
                        if (sse && line.startsWith("data: ")) {
                            data.append(line, 6, line.length());
                        } else if (sse && line.isEmpty() && data.length() > 0) {
                            received(Json.object(data.toString()));
                            data.setLength(0);
                        } else if (!sse && line.startsWith("<script>" + CALLBACK + "(") && line.endsWith(");</script>")) {
                            received(Json.object(line.substring(9 + CALLBACK.length(), line.length() - 11)));
                        }
                    }
                }
                if (!closed && unauthorizedSeen()) {
                    end.complete(new End(200, "stream ended after an unauthorized error"));
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    end.complete(new End(-1, String.valueOf(e)));
                }
                return;
            }
        }
    }

    private boolean unauthorizedSeen() {
        return events().stream().anyMatch(e -> "error".equals(type(e)) && "unauthorized".equals(string(e, "code")));
    }

    private void received(JsonObject event) {
        String type = type(event);
        if (event.get("id") instanceof JsonString id) {
            lastId = id.getString();
        }
        if ("welcome".equals(type)) {
            client = string(event, "client");
            key = string(event, "key");
            if (lastId == null) {
                lastId = string(event, "since");
            }
        }
        if ("reset".equals(type)) {
            lastId = null;
        }
        record(event);
    }

    /** Sends one WebSocket frame. */
    void send(String json) {
        ws.sendText(json, true).join();
    }

    @Override
    public void close() {
        boolean dropped = closed;
        closed = true;
        try {
            if (ws != null && !dropped && !ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            }
            InputStream in = stream;
            if (in != null) {
                in.close();
            }
        } catch (Exception ignored) {
            // closing anyway
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    /** Drops the connection without a goodbye, as a network failure (or a closed laptop) would. */
    void drop() {
        closed = true;
        if (ws != null) {
            ws.abort();
        }
        close();
    }

    @Override
    boolean ended() {
        return end.isDone();
    }

    @Override
    String describe() {
        return transport + " client " + client + " (end: " + end.getNow(null) + ")";
    }
}
