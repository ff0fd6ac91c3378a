package io.realtimehub.it.clients;

import io.realtimehub.it.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A WebSocket client; one JSON event per text frame. */
public final class WebSocketHubClient extends HubClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket ws;
    private volatile boolean reading = true;

    WebSocketHubClient(URI base, String client, String channels, String since) {
        super(base, client, channels, since);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    protected void start() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?" + query());
        try {
            ws = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket socket) {
                    socket.request(1);
                }

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
                    partial.append(text);
                    if (last) {
                        received(Json.object(partial.toString()));
                        partial.setLength(0);
                    }
                    if (reading) {
                        socket.request(1);
                    }
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                    closeCode.complete(statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket socket, Throwable error) {
                    closeCode.complete(1006);
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
