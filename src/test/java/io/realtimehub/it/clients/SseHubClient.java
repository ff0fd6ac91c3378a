package io.realtimehub.it.clients;

import io.realtimehub.it.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Server-Sent Events as EventSource reads them; reconnects with Last-Event-ID. */
final class SseHubClient extends StreamingHubClient {
    private final StringBuilder data = new StringBuilder();
    private volatile int heartbeats;

    SseHubClient(URI base, String client, String channels, String since) {
        super(base, client, channels, since);
    }

    @Override
    public String transport() {
        return "sse";
    }

    @Override
    protected HttpRequest request() {
        String since = lastId;
        String query = "channels=" + encode(channels) + identity();
        var builder = HttpRequest.newBuilder(base.resolve("sse?" + query)).timeout(Duration.ofMinutes(5));
        if (since != null) {
            builder.header("Last-Event-ID", since); // what EventSource sends when it reconnects
        }
        return builder.build();
    }

    @Override
    protected void line(String line) {
        if (line.isEmpty()) {
            if (data.length() > 0) {
                received(Json.object(data.toString()));
                data.setLength(0);
            }
        } else if (line.startsWith("data: ")) {
            data.append(line, 6, line.length());
        } else if (line.startsWith(":")) {
            heartbeats++;
        }
    }

    int comments() {
        return heartbeats;
    }
}
