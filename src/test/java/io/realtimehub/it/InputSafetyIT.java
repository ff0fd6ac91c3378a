package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.RawHttp;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No input breaks in: hostile names, script-breaking data, foreign origins, oversized and malformed input, floods. */
class InputSafetyIT extends HubItBase {
    private static final String HOSTILE = "{\"s\":\"</script><script>alert(1)</script>\\u2028\\u2029&\"}";
    private static final String ESCAPED =
            "\"s\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u2028\\u2029\\u0026\"";

    private static void assertRejected(Http.Response r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("text/plain", r.mediaType(), r.toString());
        assertTrue(r.body().startsWith(code + ": "), r.toString());
        assertNoStackTrace(r.body());
    }

    private static void assertNoStackTrace(String body) {
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains(".java:"), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonp?", "iframe?", "jsonp/publish?channel=map&data=1&"})
    void rejectsHostileCallbackNames(String path) {
        for (String callback : new String[]{"alert(1)//", "</script>", "a;b", "a.b.c.d.e", "", "1x", "a[0]", "x".repeat(65)}) {
            assertRejected(Http.get(base, path + "callback=" + Http.encode(callback)), 400, "bad_request");
        }
    }

    @Test
    void jsonpCarriesScriptBreakingDataAsEscapedData() throws Exception {
        String channel = uniqueChannel();
        String client = uniqueClient("jsonp");
        String query = "jsonp?" + Http.query("callback", "cb", "client", client, "key", TestKeys.key(client), "channels", channel);
        assertEquals(200, Http.get(base, query + "&timeout=0").status()); // creates the session
        HubClient publisher = openLive("websocket", channel);
        publish("websocket", publisher, channel, HOSTILE);
        Http.Response r = Http.get(base, query + "&timeout=5");
        assertEquals("application/javascript", r.mediaType());
        assertTrue(r.body().startsWith("cb([") && r.body().endsWith("]);"), r.body());
        assertTrue(r.body().contains(ESCAPED), r.body());
        assertFalse(r.body().contains("</") || r.body().contains("\u2028") || r.body().contains("\u2029"), r.body());
    }

    @Test
    void iframeCarriesScriptBreakingDataAsEscapedData() throws Exception {
        String channel = uniqueChannel();
        HubClient publisher = openLive("websocket", channel);
        CompletableFuture<Http.Response> page = Http.getAsync(base,
                "iframe?" + Http.query("callback", "parent.cb", "channels", channel));
        publisher.await(e -> "join".equals(HubClient.type(e)) && !publisher.client().equals(
                e.getJsonObject("data").getString("client")), WAIT);
        publish("websocket", publisher, channel, HOSTILE);
        Http.Response r = page.get(); // the server ends the page after hub.iframe.maxAge
        assertEquals("text/html", r.mediaType());
        assertTrue(r.body().contains("<script>parent.cb({\"id\":"), r.body());
        assertTrue(r.body().contains(ESCAPED), r.body());
        String body = r.body();
        assertEquals(count(body, "<script>"), count(body, "</script>"), "every script is closed by the server only");
        assertFalse(body.contains("\u2028"));
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void refusesForeignOriginsAndAllowsListedOnes() throws Exception {
        String evil = "http://evil.example";
        assertRejected(Http.get(base, "poll?timeout=0", "Origin", evil), 403, "forbidden");
        assertRejected(Http.get(base, "presence?channel=map", "Origin", evil), 403, "forbidden");
        assertRejected(Http.post(base, "publish", "application/json", "{\"channel\":\"map\",\"data\":1}", "Origin", evil),
                403, "forbidden");
        String sse = RawHttp.get(base, "sse", "Origin: " + evil);
        assertEquals(403, RawHttp.status(sse));
        Http.Response local = Http.get(base, "poll?timeout=0", "Origin", "http://localhost:3000");
        assertEquals(200, local.status());
        assertEquals("http://localhost:3000", local.header("Access-Control-Allow-Origin").orElse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "jsonp", "iframe", "sse"})
    void rejectsBadNamesOnEveryTransport(String transport) {
        String prefix = transport + "?callback=cb&timeout=0&";
        assertRejected(Http.get(base, prefix + "client=" + Http.encode("a b")), 400, "bad_request");
        assertRejected(Http.get(base, prefix + "client=" + "x".repeat(65)), 400, "bad_request");
        assertRejected(Http.get(base, prefix + "channels=" + Http.encode("ok,<bad>")), 400, "bad_request");
        var seventeen = new StringBuilder("c0");
        for (int i = 1; i < 17; i++) {
            seventeen.append(",c").append(i);
        }
        assertRejected(Http.get(base, prefix + "channels=" + seventeen), 400, "bad_request");
        if (transport.equals("poll") || transport.equals("jsonp")) {
            assertRejected(Http.get(base, transport + "?callback=cb&timeout=soon"), 400, "bad_request");
        }
    }

    @Test
    void refusesBadPublishesAndLosesNothingForBystanders() throws Exception {
        String channel = uniqueChannel();
        HubClient wsBystander = openLive("websocket", channel);
        HubClient pollBystander = openLive("poll", channel);
        String ok = "{\"channel\":\"" + channel + "\",\"client\":\"pub\",\"key\":\"" + TestKeys.key("pub") + "\",\"data\":";
        String badClient = "{\"channel\":\"" + channel + "\",\"client\":\"p/b\",\"key\":\"" + TestKeys.key("p/b") + "\",\"data\":";
        assertRejected(Http.post(base, "publish", "application/json", "{nope"), 400, "bad_request");
        assertRejected(Http.post(base, "publish", "application/json", ok + "1}}"), 400, "bad_request");
        assertRejected(Http.post(base, "publish", "application/json", "{\"channel\":\"" + channel + "\"}"), 400, "bad_request");
        assertRejected(Http.post(base, "publish", "application/json", "{\"channel\":\"no way\",\"data\":1}"), 400, "bad_request");
        assertRejected(Http.post(base, "publish", "application/json", badClient + "1}"), 400, "bad_request");
        assertRejected(Http.post(base, "publish", "application/json", ok + "\"" + "x".repeat(70_000) + "\"}"), 413, "too_large");
        assertRejected(Http.post(base, "publish", "application/json", ok + "\"" + "x".repeat(600_000) + "\"}"), 413, "too_large");
        Http.Response jsonp = Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", channel, "data", "{bad"));
        assertTrue(jsonp.body().startsWith("cb({\"type\":\"error\",\"code\":\"bad_request\""), jsonp.body());

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Http.Response r = Http.post(base, "publish", "application/json", ok + i + "}");
            assertEquals(202, r.status(), r.toString());
            published.add(r.json().getString("id"));
        }
        assertEquals(published, ids(wsBystander.awaitMessages(channel, 5, WAIT)));
        assertEquals(published, ids(pollBystander.awaitMessages(channel, 5, WAIT)));
    }

    @Test
    void rateLimitsEachPublisherOverHttpAndWebSocket() throws Exception {
        String channel = uniqueChannel();
        // All at once, so that even a slow machine sends them faster than the rate (100/s + 300 burst here).
        List<CompletableFuture<Http.Response>> flood = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            flood.add(Http.postAsync(base, "publish", "application/json",
                    "{\"channel\":\"" + channel + "\",\"client\":\"flooder\",\"key\":\"" + TestKeys.key("flooder")
                            + "\",\"data\":" + i + "}"));
        }
        List<Http.Response> limited = new ArrayList<>();
        for (CompletableFuture<Http.Response> r : flood) {
            Http.Response response = r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(response.status() == 202 || response.status() == 429, response.toString());
            if (response.status() == 429) {
                limited.add(response);
            }
        }
        assertFalse(limited.isEmpty(), "no 429 after 800 publishes at once");
        assertRejected(limited.get(0), 429, "rate_limited");
        var ws = (WebSocketHubClient) openLive("websocket", uniqueChannel()); // floods a channel it does not read
        for (int i = 0; i < 600; i++) {
            ws.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + i + "}");
        }
        ws.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":0,\"ref\":\"last\"}");
        ws.await(e -> "error".equals(HubClient.type(e)) && "rate_limited".equals(e.getString("code"))
                && "last".equals(e.getString("ref", null)), WAIT); // a frame with ref always gets its answer
        assertEquals(2, ws.events().stream().filter(e -> "error".equals(HubClient.type(e))).count(),
                "one error for the flood without ref, one for the frame with ref");
        ws.send("{\"type\":\"ping\"}");
        ws.await(e -> "pong".equals(HubClient.type(e)), WAIT); // still connected
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll?timeout=0", "jsonp?callback=cb&timeout=0", "iframe?callback=cb", "sse", "presence",
            "health", "metrics", "poll?client=bad%20id"})
    void sendsNoCacheAndNosniffEverywhere(String path) throws Exception {
        String response = RawHttp.get(base, path).toLowerCase();
        assertTrue(response.contains("\r\ncache-control: no-cache, no-store\r\n"), response);
        assertTrue(response.contains("\r\nx-content-type-options: nosniff\r\n"), response);
    }
}
