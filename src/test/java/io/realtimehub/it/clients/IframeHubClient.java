package io.realtimehub.it.clients;

import io.realtimehub.it.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** The forever frame, read as a browser's parser would see it: one {@code <script>cb(event);</script>} per line. */
final class IframeHubClient extends StreamingHubClient {
    static final String OPEN = "<script>parent.cb(";
    static final String CLOSE = ");</script>";

    IframeHubClient(URI base, String client, String channels, String since) {
        super(base, client, channels, since);
    }

    @Override
    public String transport() {
        return "iframe";
    }

    @Override
    protected HttpRequest request() {
        return HttpRequest.newBuilder(base.resolve("iframe?callback=parent.cb&" + query()))
                .timeout(Duration.ofMinutes(5)).build();
    }

    @Override
    protected void line(String line) {
        if (line.startsWith(OPEN) && line.endsWith(CLOSE)) {
            received(Json.object(line.substring(OPEN.length(), line.length() - CLOSE.length())));
        } else if (line.contains("<script>")) {
            throw new IllegalStateException("unexpected script line: " + line);
        }
    }
}
