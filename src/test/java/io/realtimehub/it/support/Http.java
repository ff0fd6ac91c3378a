package io.realtimehub.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * Blocking HTTP helpers on java.net.http for ITs: {@code Http.get(base, "health")}, {@code Http.postJson(...)}.
 * Paths are resolved against the deployment URL ({@code @ArquillianResource URL base}, ending in "/hub/"), so pass
 * them without a leading slash. Headers are name/value pairs: {@code Http.get(url, "Origin", "http://a.test")}.
 * Long-polls: {@link #getAsync} and join later; streams (SSE, iframe): {@link #open}.
 */
public final class Http {

    /** HTTP/1.1 only (Tomcat has no h2c here, so skip the upgrade attempt); no redirects followed. */
    public static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Longer than the longest long-poll (25 s) so a hanging request fails the test instead of the build. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Http() {
    }

    /** Status, headers and body (decoded as UTF-8) of a finished exchange. */
    public record Response(int status, HttpHeaders headers, String body) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The Content-Type without parameters, lower case ("application/json"), or "" when absent. */
        public String mediaType() {
            return header("Content-Type").map(v -> v.split(";", 2)[0].trim().toLowerCase()).orElse("");
        }

        public JsonObject json() {
            return Json.object(body);
        }

        public JsonArray jsonArray() {
            return Json.array(body);
        }

        @Override
        public String toString() {
            return status + " " + headers.map() + " " + Json.abbreviate(body);
        }
    }

    /**
     * A query string from name/value pairs, each URL-encoded:
     * {@code "jsonp/publish?" + Http.query("callback", "cb", "channel", "map", "data", "{\"n\":1}")}.
     */
    public static String query(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("query parameters come in name/value pairs");
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                query.append('&');
            }
            query.append(encode(namesAndValues[i])).append('=').append(encode(namesAndValues[i + 1]));
        }
        return query.toString();
    }

    /** URL-encodes one query parameter name or value (spaces as %20). */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path} (relative, may carry a query) resolved against the deployment URL. */
    public static URI uri(URL base, String path) {
        try {
            return base.toURI().resolve(path);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(base + " + " + path, e);
        }
    }

    public static Response get(URL base, String path, String... headers) {
        return get(uri(base, path), headers);
    }

    public static Response get(URI uri, String... headers) {
        return send(request(uri, headers).GET().build());
    }

    public static CompletableFuture<Response> getAsync(URL base, String path, String... headers) {
        return getAsync(uri(base, path), headers);
    }

    public static CompletableFuture<Response> getAsync(URI uri, String... headers) {
        return CLIENT.sendAsync(request(uri, headers).GET().build(), BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(Http::response);
    }

    public static Response post(URL base, String path, String contentType, String body, String... headers) {
        return post(uri(base, path), contentType, body, headers);
    }

    public static Response post(URI uri, String contentType, String body, String... headers) {
        return send(postRequest(uri, contentType, body, headers));
    }

    public static CompletableFuture<Response> postAsync(URL base, String path, String contentType, String body) {
        return CLIENT.sendAsync(postRequest(uri(base, path), contentType, body), BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(Http::response);
    }

    private static HttpRequest postRequest(URI uri, String contentType, String body, String... headers) {
        return request(uri, headers)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    public static Response postJson(URL base, String path, String json, String... headers) {
        return post(uri(base, path), "application/json", json, headers);
    }

    /** Any method, e.g. {@code Http.send("OPTIONS", uri, "Origin", o, "Access-Control-Request-Method", "POST")}. */
    public static Response send(String method, URI uri, String... headers) {
        return send(request(uri, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Opens a streaming response (SSE, iframe) and returns once the headers are in; read the body as it
     * arrives and close it to drop the connection. No request timeout: the caller bounds its reads.
     */
    public static HttpResponse<InputStream> open(URI uri, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        addHeaders(builder, headers);
        try {
            return CLIENT.send(builder.GET().build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    public static Response send(HttpRequest request) {
        try {
            return response(CLIENT.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    /** A request builder with the default timeout and the given name/value header pairs. */
    public static HttpRequest.Builder request(URI uri, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(DEFAULT_TIMEOUT);
        addHeaders(builder, headers);
        return builder;
    }

    private static void addHeaders(HttpRequest.Builder builder, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
    }

    private static Response response(HttpResponse<String> r) {
        return new Response(r.statusCode(), r.headers(), r.body());
    }
}
