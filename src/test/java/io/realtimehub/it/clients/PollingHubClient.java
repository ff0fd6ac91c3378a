package io.realtimehub.it.clients;

import io.realtimehub.it.support.Json;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** XHR long-polling or JSONP long-polling: poll, take the batch, poll again at once with {@code since}. */
final class PollingHubClient extends HubClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final boolean jsonp;
    private Thread loop;
    volatile int polls;

    PollingHubClient(URI base, String client, String channels, String since, boolean jsonp) {
        super(base, client, channels, since);
        this.jsonp = jsonp;
    }

    @Override
    public String transport() {
        return jsonp ? "jsonp" : "poll";
    }

    @Override
    protected void start() {
        loop = startLoop(this::run);
    }

    private void run() {
        while (!closed) {
            String path = jsonp ? "jsonp?callback=hub.cb&" : "poll?";
            var request = HttpRequest.newBuilder(base.resolve(path + query() + "&timeout=5"))
                    .timeout(Duration.ofSeconds(20)).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                polls++;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(transport() + " answered " + response.statusCode() + ": " + response.body());
                }
                String body = response.body();
                if (jsonp) {
                    if (!body.startsWith("hub.cb(") || !body.endsWith(");")) {
                        throw new IllegalStateException("not a JSONP answer: " + body);
                    }
                    body = body.substring("hub.cb(".length(), body.length() - 2);
                }
                if (closed) {
                    return; // a closed client drops what it got, as a browser tab would
                }
                for (JsonValue event : Json.array(body)) {
                    received(event.asJsonObject());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        super.close();
        if (loop != null) {
            loop.interrupt();
        }
    }
}
