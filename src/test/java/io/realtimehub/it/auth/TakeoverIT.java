package io.realtimehub.it.auth;

import io.realtimehub.it.support.TestKeys;

import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anonymous mode (issue 12): a client id is public (it is in {@code from}, join/leave and /presence),
 * so knowing it must not let anyone else resume the session, read its queued events, publish as it
 * or end its presence. Only the secret resume key of the welcome does; a back-end holding
 * {@code hub.secret} can mint the key of a chosen id.
 */
class TakeoverIT extends AuthItBase {
    static final String SECRET = "takeover-it-hub-secret-0123456789";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war("takeover.war", params("hub.secret", SECRET, "hub.jsonp.publish", "true"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void knowingTheClientIdIsNotEnoughToResumePublishAsOrEvictIt(String transport) throws Exception {
        String channel = channel("tko");
        Client observer = live(client("websocket", channel), channel);
        Client victim = live(client(transport, channel), channel);
        String id = victim.client();
        String key = victim.key();
        assertNotNull(key, "an anonymous welcome carries the secret resume key: " + victim.events());
        assertTrue(key.matches("[A-Za-z0-9_-]{22}"), key);
        assertEquals(TestKeys.key(SECRET, id), key, "key = base64url(HMAC-SHA256(hub.secret, \"resume:\" + id))[0..22]");
        assertNotEquals(id, key);
        observer.await(e -> isPresence(e, "join", id), WAIT);

        // no key, the key of another client (the observer's own, genuine one), a made-up key
        for (String wrongKey : Arrays.asList(null, observer.key(), "A".repeat(22))) {
            String what = transport + " as " + id + " with key " + wrongKey;
            String reason = wrongKey == null ? "forbidden: " : "forbidden: key does not match client";
            attempt(transport, query(channel, id, wrongKey)).assertRefused(403, reason, what);
            postPublish(publishBody(channel, id, wrongKey, "\"spoofed\"")).assertRefused(403, reason, "POST /publish " + what);
            assertJsonpRefused(Http.get(base, "jsonp/publish?" + jsonpPublish(channel, id, wrongKey)), "jsonp/publish " + what);
        }

        // the victim's own connection was neither replaced nor ended, and it is still present
        String marker = ackId(frame(observer, "publish", channel, "\"marker\""));
        message(victim, marker);
        assertTrue(presence(channel).contains(id), "the victim left /presence: " + presence(channel));

        // the victim drops off; what is published meanwhile waits for it, and an attacker cannot take it
        String since = victim.lastId();
        victim.drop();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(ackId(frame(observer, "publish", channel, "{\"missed\":" + i + "}")));
        }
        Answer stolen = attempt(transport, query(channel, id, null) + "&since=" + Client.encode(since));
        stolen.assertRefused(403, "forbidden: ", "resume without the key");
        assertFalse(stolen.body().contains("missed"), stolen.toString());

        // the legitimate client, with its key, resumes and gets everything, once
        Client back = client(transport, channel).as(id, key).since(since).start();
        List<JsonObject> got = back.awaitCount(e -> "message".equals(Client.type(e)), missed.size(), WAIT);
        assertEquals(missed, got.stream().map(e -> e.getString("id")).toList(), back.events().toString());
        assertEquals(id, back.client());
        String after = ackId(frame(observer, "publish", channel, "\"after\""));
        message(back, after);
        assertEquals(missed.size() + 1, back.messages(channel).size(), "duplicates after resume: " + back.events());

        // nothing was published as the victim, and no one saw it leave
        for (JsonObject message : observer.messages(channel)) {
            assertFalse(message.get("data").toString().contains("spoofed"), message.toString());
        }
        assertTrue(observer.events().stream().noneMatch(e -> isPresence(e, "leave", id)),
                "the observer saw the victim leave: " + observer.events());
        assertTrue(presence(channel).contains(id), presence(channel).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "sse"})
    void aBackEndHoldingTheSecretMintsTheKeyOfAChosenId(String transport) throws Exception {
        String channel = channel("mint");
        String chosen = channel("chosen");
        String key = TestKeys.key(SECRET, chosen);
        Client c = client(transport, channel).as(chosen, key);
        live(c, channel);
        assertEquals(chosen, c.client());
        assertEquals(key, c.key(), "the welcome carries the key the back-end minted: " + c.events());

        Answer published = postPublish(publishBody(channel, chosen, key, "{\"n\":1}"));
        assertEquals(202, published.status(), published.toString());
        JsonObject message = c.awaitCount(e -> "message".equals(Client.type(e)), 1, WAIT).get(0);
        assertEquals(chosen, message.getString("from"), message.toString());
        assertEquals(Json.object(published.body()).getString("id"), message.getString("id"));

        // and over JSONP, with the key as key=
        Http.Response jsonp = Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", channel,
                "client", chosen, "key", key, "data", "{\"n\":3}"));
        assertTrue(jsonp.body().startsWith("cb({\"id\":"), jsonp.toString());
        String jsonpId = Json.object(jsonp.body().substring(3, jsonp.body().length() - 2)).getString("id");
        assertEquals(chosen, message(c, jsonpId).getString("from"));

        // without a client, a publish is anonymous: no from
        Answer anonymous = postPublish(publishBody(channel, null, null, "{\"n\":2}"));
        assertEquals(202, anonymous.status(), anonymous.toString());
        JsonObject second = c.awaitCount(e -> "message".equals(Client.type(e)), 3, WAIT).get(2);
        assertFalse(second.containsKey("from"), second.toString());
    }

    @Test
    void countsRefusedKeysAndBadRequestsInMetrics() throws Exception {
        String forbidden = "hub_refusals_total{code=\"forbidden\"}";
        String badRequest = "hub_refusals_total{code=\"bad_request\"}";
        long forbiddenBefore = metric(forbidden);
        long badRequestBefore = metric(badRequest);
        String channel = channel("count");
        Client victim = live(client("websocket", channel), channel);
        attempt("poll", query(channel, victim.client(), null)).assertRefused(403, "forbidden: ", "poll without the key");
        postPublish(publishBody(channel, victim.client(), "B".repeat(22), "1")).assertRefused(403, "forbidden: ", "publish, wrong key");
        attempt("sse", "channels=" + channel + "&client=bad%20id").assertRefused(400, "bad_request: ", "a bad client id");
        long forbiddenAfter = metric(forbidden);
        assertIncreased(forbiddenBefore, forbiddenAfter, forbidden);
        assertTrue(forbiddenAfter - Math.max(forbiddenBefore, 0) >= 2, forbidden + ": " + forbiddenBefore + " -> " + forbiddenAfter);
        assertIncreased(badRequestBefore, metric(badRequest), badRequest);
    }

    static String query(String channel, String client, String key) {
        return "channels=" + Client.encode(channel) + "&client=" + Client.encode(client)
                + (key == null ? "" : "&key=" + Client.encode(key));
    }

    static String jsonpPublish(String channel, String client, String key) {
        return key == null ? Http.query("callback", "cb", "channel", channel, "client", client, "data", "\"spoofed\"")
                : Http.query("callback", "cb", "channel", channel, "client", client, "key", key, "data", "\"spoofed\"");
    }

    /** JSONP publish errors are a 403 or (a script tag cannot read a status) {@code cb({"type":"error",...});}. */
    static void assertJsonpRefused(Http.Response r, String what) {
        if (r.status() == 200) {
            String body = r.body();
            assertTrue(body.startsWith("cb(") && body.endsWith(");"), what + ": " + r);
            JsonObject error = Json.object(body.substring(3, body.length() - 2));
            assertEquals("error", Client.type(error), what + ": " + r);
            assertEquals("forbidden", Client.string(error, "code"), what + ": " + r);
        } else {
            answer(r).assertRefused(403, "forbidden: ", what);
        }
    }

    static boolean isPresence(JsonObject e, String type, String client) {
        return type.equals(Client.type(e)) && e.get("data") instanceof JsonObject data
                && client.equals(Client.string(data, "client"));
    }

    static String ackId(JsonObject ack) {
        assertEquals("ack", Client.type(ack), ack.toString());
        return ack.getString("id");
    }

    List<String> presence(String channel) {
        Http.Response r = Http.get(base, "presence?channel=" + channel);
        assertEquals(200, r.status(), r.toString());
        return r.json().getJsonArray("clients").stream().map(JsonValue::asJsonObject)
                .map(m -> m.getString("client")).toList();
    }
}
