package io.realtimehub.it.auth;

import io.realtimehub.it.clients.RawHttp;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auth ITs (issue 12) run as clients against the WAR in the managed Tomcat, each class with a
 * deployment of its own ({@link #war}). Helpers: one-shot requests on any transport that return what
 * the server answered ({@link #attempt}), clients closed after each test, /metrics counters.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class AuthItBase {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** HS256 needs at least 32 bytes. */
    static final String JWT_SECRET = "token-it-jwt-secret-0123456789-abcdefghij";
    static final String PUBLISH_KEY = "token-it-backend-publish-key-42";

    @ArquillianResource
    URL base;

    private final List<Client> clients = new ArrayList<>();

    /** A status, lower-cased headers and a body, whatever the transport (a WebSocket handshake included). */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The refusal's code as the body's "code: reason" line says it. */
        void assertRefused(int expectedStatus, String bodyPrefix, String what) {
            assertEquals(expectedStatus, status, what + ": " + this);
            assertTrue(body.startsWith(bodyPrefix), what + ": body should start with '" + bodyPrefix + "': " + this);
            assertTrue(body.endsWith("\n"), what + ": " + this);
            if (expectedStatus == 401) {
                String challenge = header("WWW-Authenticate");
                assertTrue(challenge != null && challenge.startsWith("Bearer"), what + ": WWW-Authenticate: Bearer; " + this);
            }
        }
    }

    /** The built WAR deployed as {@code name}, with a context.xml holding {@code contextXmlBody} (parameters, a Realm). */
    static WebArchive war(String name, String contextXmlBody) {
        Path war = Path.of(System.getProperty("hub.war", "target/hub.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war.toAbsolutePath() + " is missing: run `mvn package` first");
        }
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(war.toFile()).as(WebArchive.class)
                .addAsManifestResource(new StringAsset("<Context unloadDelay=\"250\">\n" + contextXmlBody
                        + "</Context>\n"), "context.xml");
    }

    /** Context parameters as context.xml lines, from name/value pairs. */
    static String params(String... namesAndValues) {
        var xml = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            xml.append("  <Parameter name=\"").append(namesAndValues[i]).append("\" value=\"")
                    .append(namesAndValues[i + 1]).append("\" override=\"false\" />\n");
        }
        return xml.toString();
    }

    /** The WAR with HS256 tokens on ({@link #JWT_SECRET}), the back-end publish key and JSONP publishing. */
    static WebArchive tokenWar(String name) {
        return war(name, params("hub.auth.jwt.secret", JWT_SECRET, "hub.auth.publishKey", PUBLISH_KEY,
                "hub.jsonp.publish", "true"));
    }

    /** Where each transport carries its token here: poll and SSE in the header, the others in {@code token=}. */
    static boolean tokenInHeader(String transport) {
        return transport.equals("poll") || transport.equals("sse");
    }

    static Client withToken(Client c, String token) {
        return tokenInHeader(c.transport) ? c.header("Authorization", "Bearer " + token) : c.token(token);
    }

    /** One subscribing request on {@code channels} carrying {@code token} (none when null). */
    Answer attemptWithToken(String transport, String channels, String token) {
        String query = "channels=" + Client.encode(channels);
        if (token == null) {
            return attempt(transport, query);
        }
        return tokenInHeader(transport) ? attempt(transport, query, "Authorization", "Bearer " + token)
                : attempt(transport, query + "&token=" + Client.encode(token));
    }

    /** A file under target/ (the build folder, which the Tomcat on this machine can read), by absolute path. */
    static Path targetFile(String name, String content) {
        try {
            Path dir = Path.of(System.getProperty("hub.war", "target/hub.war")).toAbsolutePath().getParent();
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Client::close);
        clients.clear();
    }

    URI baseUri() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String channel(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A client of {@code transport} on {@code channels}, not started yet; closed after the test. */
    Client client(String transport, String channels) {
        var c = new Client(transport, baseUri(), channels);
        clients.add(c);
        return c;
    }

    /** One subscribing request on {@code transport} and what the server answered (a 200 stream is cut after the headers). */
    Answer attempt(String transport, String query, String... headers) {
        return switch (transport) {
            case "websocket" -> handshake(query, headers);
            case "poll" -> answer(Http.get(base, "poll?" + query + "&timeout=0", headers));
            case "jsonp" -> answer(Http.get(base, "jsonp?callback=cb&" + query + "&timeout=0", headers));
            case "iframe" -> stream("iframe?callback=cb&" + query, headers);
            case "sse" -> stream("sse?" + query, headers);
            default -> throw new IllegalArgumentException(transport);
        };
    }

    private Answer handshake(String query, String... headers) {
        String[] lines = new String[headers.length / 2];
        for (int i = 0; i < headers.length; i += 2) {
            lines[i / 2] = headers[i] + ": " + headers[i + 1];
        }
        try {
            String raw = RawHttp.handshake(base, "ws?" + query, lines);
            int split = raw.indexOf("\r\n\r\n");
            var map = new TreeMap<String, String>();
            for (String line : raw.substring(0, split < 0 ? raw.length() : split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    map.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return new Answer(RawHttp.status(raw), map, RawHttp.body(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer stream(String path, String... headers) {
        HttpResponse<InputStream> response = Http.open(Http.uri(base, path), headers);
        try (InputStream body = response.body()) {
            String text = response.statusCode() == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(response.statusCode(), headers(response.headers().map()), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer answer(Http.Response r) {
        return new Answer(r.status(), headers(r.headers().map()), r.body());
    }

    private static Map<String, String> headers(Map<String, List<String>> map) {
        var out = new TreeMap<String, String>();
        map.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        return out;
    }

    /** POST /publish with a JSON body and optional headers. */
    Answer postPublish(String json, String... headers) {
        return answer(Http.postJson(base, "publish", json, headers));
    }

    static String publishBody(String channel, String client, String key, String data) {
        return "{\"channel\":\"" + channel + "\"" + (client == null ? "" : ",\"client\":\"" + client + "\"")
                + (key == null ? "" : ",\"key\":\"" + key + "\"") + ",\"data\":" + data + "}";
    }

    /** Publishes over a WebSocket frame with a ref; returns the ack or error answering it. */
    static JsonObject frame(Client ws, String type, String channel, String data) throws InterruptedException {
        String ref = "r" + UUID.randomUUID().toString().substring(0, 8);
        ws.send("{\"type\":\"" + type + "\",\"channel\":\"" + channel + "\""
                + (data == null ? "" : ",\"data\":" + data) + ",\"ref\":\"" + ref + "\"}");
        return ws.await(e -> ref.equals(Client.string(e, "ref")), WAIT);
    }

    /** The message event {@code id} (not the ack that carries the same id), once it came to {@code c}. */
    static JsonObject message(Client c, String id) throws InterruptedException {
        return c.await(e -> "message".equals(Client.type(e)) && id.equals(Client.string(e, "id")), WAIT);
    }

    /** Waits for the client's welcome, checks its transport and returns it. */
    static JsonObject welcomed(Client c) throws InterruptedException {
        JsonObject welcome = c.awaitType("welcome", WAIT);
        assertEquals(c.transport, welcome.getString("transport"), welcome.toString());
        return welcome;
    }

    /** Opens the client and waits until its own join on {@code channel} came back to it: it is live. */
    static Client live(Client c, String channel) throws InterruptedException {
        c.start();
        String id = welcomed(c).getString("client");
        c.await(e -> "join".equals(Client.type(e)) && channel.equals(Client.string(e, "channel"))
                && id.equals(e.getJsonObject("data").getString("client")), WAIT);
        return c;
    }

    /** The value of the /metrics sample {@code name{labels}}, or -1 when it is not there. */
    long metric(String sample, String... headers) {
        Http.Response r = Http.get(base, "metrics", headers);
        assertEquals(200, r.status(), r.toString());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+]+)$").matcher(r.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    static void assertIncreased(long before, long after, String sample) {
        assertNotEquals(-1, after, sample + " is missing from /metrics");
        assertTrue(after > Math.max(before, 0), sample + " went from " + before + " to " + after);
    }
}
