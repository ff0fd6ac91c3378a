package io.realtimehub.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publisher's client id and resume key, asked of the hub the way any client gets them: one poll
 * ({@code timeout=0}) that creates a session on a channel of the publisher's own and answers with
 * {@code welcome}. Publishing as that id (with its key) keeps the hub's per-client rate limit,
 * rather than the one anonymous publishers share per address; the session itself times out.
 */
record PublisherIdentity(String client, String key) {
    private static final Pattern CLIENT = Pattern.compile("\"client\":\"([A-Za-z0-9_-]{1,64})\"");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([A-Za-z0-9_-]+)\"");

    /** Null when the hub gave no welcome: the publisher then publishes anonymously. */
    static PublisherIdentity ask(HttpClient http, URI hub, String channel) {
        try {
            var request = HttpRequest.newBuilder(hub.resolve("poll?channels=" + channel + "&timeout=0"))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher client = CLIENT.matcher(r.body());
            if (r.statusCode() != 200 || !r.body().contains("\"welcome\"") || !client.find()) {
                return null;
            }
            Matcher key = KEY.matcher(r.body());
            return new PublisherIdentity(client.group(1), key.find() ? key.group(1) : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The JSON members for a POST /publish body, with a trailing comma: {@code "client":"..","key":"..",}. */
    String members() {
        return "\"client\":\"" + client + "\"," + (key == null ? "" : "\"key\":\"" + key + "\",");
    }
}
