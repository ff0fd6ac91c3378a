package io.realtimehub.it.clients;

import io.realtimehub.it.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client; a text frame holds one JSON event, or (protocol v2) an array of them. With
 * {@link #reconnecting()}, a connection the server or the network ends is reopened as hub.js
 * does: same client id, {@code since} = the last event id (or the welcome's cursor), after 200 ms.
 */
public final class WebSocketHubClient extends HubClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile WebSocket ws;
    private volatile boolean reading = true;
    private volatile boolean reconnect;
    private volatile int reconnects;

    WebSocketHubClient(URI base, String client, String channels, String since) {
        super(base, client, channels, since);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    /** Reopens the connection by itself whenever it ends, until {@link #close}. */
    public WebSocketHubClient reconnecting() {
        reconnect = true;
        return this;
    }

    /** How many times the connection was reopened. */
    public int reconnects() {
        return reconnects;
    }

    @Override
    protected void start() {
        ws = open();
    }

    private void ended(int code) {
        closeCode.complete(code);
        if (!reconnect || closed) {
            return;
        }
        startLoop(() -> {
            while (!closed) {
                try {
                    Thread.sleep(200);
                    ws = open();
                    reconnects++;
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // node gone, nginx still choosing: try again
                }
            }
        });
    }

    private WebSocket open() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?" + query());
        try {
            return HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket socket) {
                    socket.request(1);
                }

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
                    partial.append(text);
                    if (last) {
                        String frame = partial.toString();
                        partial.setLength(0);
                        if (frame.startsWith("[")) {
                            Json.array(frame).forEach(event -> received(event.asJsonObject()));
                        } else {
                            received(Json.object(frame));
                        }
                    }
                    if (reading) {
                        socket.request(1);
                    }
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                    ended(statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket socket, Throwable error) {
                    ended(1006);
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + uri, e);
        }
    }

    /** Sends one frame (a JSON object as text). */
    public void send(String json) {
        ws.sendText(json, true).join();
    }

    /** Stops taking frames off the socket: the server's sends back up, as with a stalled client. */
    public void stopReading() {
        reading = false;
    }

    /** The close code the server sent, or null if still open after {@code seconds}. */
    public Integer awaitClose(int seconds) {
        try {
            return closeCode.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        super.close();
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** Drops the connection without a goodbye (as a network failure would). */
    public void abort() {
        super.close();
        ws.abort();
    }
}
