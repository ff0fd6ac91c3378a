package io.realtimehub.it.clients;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A stream read line by line (IFrame, SSE); when the server ends it, the client opens the next with {@code since}. */
abstract class StreamingHubClient extends HubClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Thread loop;
    private volatile InputStream current;
    /** How many responses the server ended (recycled) so far. */
    volatile int streams;
    volatile int lastStatus;

    StreamingHubClient(URI base, String client, String channels, String since) {
        super(base, client, channels, since);
    }

    protected abstract HttpRequest request();

    protected abstract void line(String line);

    @Override
    protected void start() {
        loop = startLoop(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                HttpResponse<InputStream> response = HTTP.send(request(), HttpResponse.BodyHandlers.ofInputStream());
                lastStatus = response.statusCode();
                current = response.body();
                if (response.statusCode() != 200) {
                    current.close();
                    Thread.sleep(200);
                    continue;
                }
                try (var reader = new BufferedReader(new InputStreamReader(current, StandardCharsets.UTF_8))) {
                    String line;
                    while (!closed && (line = reader.readLine()) != null) {
                        line(line);
                    }
                }
                streams++;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public int responsesEnded() {
        return streams;
    }

    @Override
    public void close() {
        super.close();
        try {
            InputStream in = current;
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
}
