package io.realtimehub.it.auth;

import com.nimbusds.jwt.PlainJWT;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.Json;
import io.realtimehub.it.auth.Tokens.Claims;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens on (issue 12: {@code hub.auth.jwt.secret}, HS256): every request needs a valid token, whose
 * {@code sub} is the client's public id and whose {@code subscribe}/{@code publish} claims bound the
 * channels it may use; a back-end publishes anywhere with {@code hub.auth.publishKey}.
 */
class TokenIT extends AuthItBase {
    static final String OTHER_SECRET = "not-the-hub-secret-but-32-bytes-long-xyz";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return tokenWar("token.war");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void refusesAMissingForgedOrExpiredTokenWith401(String transport) {
        String channel = channel("tok");
        Claims claims = Claims.of(channel("u"), List.of("*"), List.of("*"));
        attemptWithToken(transport, channel, null).assertRefused(401, "unauthorized: ", transport + " without a token");
        attemptWithToken(transport, channel, Tokens.hs256(OTHER_SECRET, claims))
                .assertRefused(401, "unauthorized: ", transport + " with a token signed by another secret");
        attemptWithToken(transport, channel, new PlainJWT(claims.set()).serialize())
                .assertRefused(401, "unauthorized: ", transport + " with an unsigned (alg none) token");
        attemptWithToken(transport, channel, "not.a.jwt")
                .assertRefused(401, "unauthorized: ", transport + " with garbage for a token");
        // well past any clock skew a verifier may allow
        String expired = Tokens.hs256(JWT_SECRET, claims.expiresAt(Instant.now().minusSeconds(600)));
        attemptWithToken(transport, channel, expired)
                .assertRefused(401, "unauthorized: token expired", transport + " with an expired token");
        for (String badSub : new String[]{null, "bad sub!", "x".repeat(65)}) {
            String token = Tokens.hs256(JWT_SECRET, new Claims(badSub, claims.exp(), List.of("*"), List.of("*")));
            attemptWithToken(transport, channel, token).assertRefused(401, "unauthorized: ", transport + " with sub " + badSub);
        }
        // anonymous credentials are no way around it
        attempt(transport, "channels=" + channel + "&client=" + claims.sub() + "&key=" + "A".repeat(22))
                .assertRefused(401, "unauthorized: ", transport + " with client and key but no token");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void refusesAChannelTheSubscribeClaimDoesNotCoverWith403(String transport) throws Exception {
        String sub = channel("u");
        String room = channel("room");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(room + ".*", "user.{sub}"), List.of()));
        for (String channels : List.of("lobby", room, room + ".a,lobby", "user.someone-else", "user." + sub + "x")) {
            attemptWithToken(transport, channels, token).assertRefused(403, "forbidden: ", transport + " on " + channels);
        }
        String noSubscribeClaim = Tokens.hs256(JWT_SECRET, Claims.of(sub, null, List.of("*")));
        attemptWithToken(transport, room + ".a", noSubscribeClaim)
                .assertRefused(403, "forbidden: ", transport + " with no subscribe claim (allows nothing)");
        Client c = withToken(client(transport, room + ".a," + room + ".b.c,user." + sub), token).start();
        JsonObject welcome = welcomed(c);
        assertEquals(sub, welcome.getString("client"), welcome.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void theSubIsThePublicIdInWelcomeJoinAndFrom(String transport) throws Exception {
        String channel = channel("sub");
        Claims observerClaims = Claims.of(channel("obs"), List.of(channel), List.of());
        Client observer = live(withToken(client("websocket", channel), Tokens.hs256(JWT_SECRET, observerClaims)), channel);
        String sub = channel("user");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(channel), List.of(channel)));
        Client c = withToken(client(transport, channel), token);
        live(c, channel);
        JsonObject welcome = c.awaitType("welcome", WAIT);
        assertEquals(sub, welcome.getString("client"), welcome.toString());
        assertNull(Client.string(welcome, "key"), "a token's welcome has no resume key: " + welcome);
        JsonObject join = observer.await(e -> TakeoverIT.isPresence(e, "join", sub), WAIT);
        assertEquals(transport, join.getJsonObject("data").getString("transport"), join.toString());

        String id = switch (transport) {
            case "websocket" -> TakeoverIT.ackId(frame(c, "publish", channel, "{\"n\":1}"));
            case "jsonp" -> {
                Http.Response r = Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", channel,
                        "data", "{\"n\":1}", "token", token));
                assertEquals(200, r.status(), r.toString());
                yield Json.object(r.body().substring(3, r.body().length() - 2)).getString("id");
            }
            default -> {
                Answer r = postPublish("{\"channel\":\"" + channel + "\",\"data\":{\"n\":1}}", "Authorization", "Bearer " + token);
                assertEquals(202, r.status(), r.toString());
                yield Json.object(r.body()).getString("id");
            }
        };
        JsonObject message = message(observer, id);
        assertEquals(sub, message.getString("from"), message.toString());
        assertEquals(1, message.getJsonObject("data").getInt("n"));
    }

    @Test
    void refusesAnHttpPublishOnAChannelNotInThePublishClaimWith403() throws Exception {
        String room = channel("room");
        String sub = channel("pub");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of("*"), List.of(room + ".*")));
        String bearer = "Bearer " + token;
        postPublish("{\"channel\":\"lobby\",\"data\":1}", "Authorization", bearer)
                .assertRefused(403, "forbidden: ", "POST /publish on a channel outside publish");
        postPublish("{\"channel\":\"" + room + "\",\"data\":1}", "Authorization", bearer)
                .assertRefused(403, "forbidden: ", "POST /publish on the pattern's prefix alone");
        Client reader = live(withToken(client("websocket", room + ".1"), token), room + ".1");
        Answer ok = postPublish("{\"channel\":\"" + room + ".1\",\"data\":2}", "Authorization", bearer);
        assertEquals(202, ok.status(), ok.toString());
        String id = Json.object(ok.body()).getString("id");
        JsonObject message = message(reader, id);
        assertEquals(sub, message.getString("from"), message.toString());
        // the body's client cannot lend it another identity: refused, or published as the sub
        Answer lent = postPublish("{\"channel\":\"" + room + ".1\",\"client\":\"someone-else\",\"data\":3}", "Authorization", bearer);
        if (lent.status() == 202) {
            String lentId = Json.object(lent.body()).getString("id");
            JsonObject lentMessage = message(reader, lentId);
            assertEquals(sub, lentMessage.getString("from"), "from is the token's sub, not the body's client: " + lentMessage);
        } else {
            lent.assertRefused(403, "forbidden: ", "POST /publish with a token and another client");
        }

        String expired = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of("*"), List.of("*"))
                .expiresAt(Instant.now().minusSeconds(600)));
        postPublish("{\"channel\":\"" + room + ".1\",\"data\":3}", "Authorization", "Bearer " + expired)
                .assertRefused(401, "unauthorized: token expired", "POST /publish with an expired token");
        String noPublishClaim = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of("*"), null));
        postPublish("{\"channel\":\"" + room + ".1\",\"data\":3}", "Authorization", "Bearer " + noPublishClaim)
                .assertRefused(403, "forbidden: ", "POST /publish with no publish claim (allows nothing)");
        TakeoverIT.assertJsonpRefused(Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", "lobby",
                "data", "1", "token", token)), "jsonp/publish on a channel outside publish");
    }

    @Test
    void aWebSocketFrameOnAForbiddenChannelGetsAnErrorAndTheConnectionStays() throws Exception {
        String channel = channel("ws");
        String other = channel("other");
        String sub = channel("u");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(channel, other), List.of(channel)));
        Client ws = live(withToken(client("websocket", channel), token), channel);

        JsonObject refused = frame(ws, "publish", other, "\"x\"");
        assertEquals("error", Client.type(refused), refused.toString());
        assertEquals("forbidden", refused.getString("code"), refused.toString());
        JsonObject refusedSubscribe = frame(ws, "subscribe", channel("nope"), null);
        assertEquals("error", Client.type(refusedSubscribe), refusedSubscribe.toString());
        assertEquals("forbidden", refusedSubscribe.getString("code"), refusedSubscribe.toString());
        ws.send("{\"type\":\"subscribe\",\"channel\":\"" + other + "\"}");
        ws.await(e -> TakeoverIT.isPresence(e, "join", sub) && other.equals(Client.string(e, "channel")), WAIT);

        ws.send("{\"type\":\"ping\"}");
        ws.awaitType("pong", WAIT);
        String id = TakeoverIT.ackId(frame(ws, "publish", channel, "\"allowed\""));
        JsonObject message = message(ws, id);
        assertEquals(sub, message.getString("from"));
        assertFalse(ws.end().isDone(), "the connection was closed: " + ws.end().getNow(null));
        assertTrue(ws.messages(other).isEmpty(), ws.events().toString());
    }

    @Test
    void theBackEndPublishKeyPublishesOnAnyChannelAndAWrongKeyIs401() throws Exception {
        String channel = channel("anything");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(channel("u"), List.of("*"), List.of()));
        Client reader = live(withToken(client("sse", channel), token), channel);
        Answer ok = postPublish("{\"channel\":\"" + channel + "\",\"client\":\"backend-7\",\"data\":{\"n\":7}}",
                "Authorization", "Bearer " + PUBLISH_KEY);
        assertEquals(202, ok.status(), ok.toString());
        String id = Json.object(ok.body()).getString("id");
        JsonObject message = message(reader, id);
        assertEquals("backend-7", message.getString("from"), "the body's client is the back-end's from: " + message);
        Answer noClient = postPublish("{\"channel\":\"" + channel("elsewhere") + "\",\"data\":1}",
                "Authorization", "Bearer " + PUBLISH_KEY);
        assertEquals(202, noClient.status(), noClient.toString());

        postPublish("{\"channel\":\"" + channel + "\",\"data\":1}", "Authorization", "Bearer " + PUBLISH_KEY + "x")
                .assertRefused(401, "unauthorized: ", "POST /publish with a wrong publish key");
        postPublish("{\"channel\":\"" + channel + "\",\"data\":1}")
                .assertRefused(401, "unauthorized: ", "POST /publish with nothing");
        assertEquals(1, reader.messages(channel).size(), reader.events().toString());
    }

    /** The publish key is for POST /publish only (spec: "/jsonp/publish not supported"). */
    @Test
    void thePublishKeyIsNotTakenOnJsonpPublish() throws Exception {
        String channel = channel("jsonp");
        Client reader = live(withToken(client("sse", channel),
                Tokens.hs256(JWT_SECRET, Claims.of(channel("u"), List.of("*"), List.of()))), channel);
        String jsonp = "jsonp/publish?" + Http.query("callback", "cb", "channel", channel, "data", "1");
        assertJsonpError(Http.get(base, jsonp + "&token=" + PUBLISH_KEY), "unauthorized", "jsonp/publish, publish key as token=");
        assertJsonpError(Http.get(base, jsonp, "Authorization", "Bearer " + PUBLISH_KEY), "unauthorized",
                "jsonp/publish, publish key in the Authorization header");
        String marker = Json.object(postPublish("{\"channel\":\"" + channel + "\",\"data\":2}",
                "Authorization", "Bearer " + PUBLISH_KEY).body()).getString("id");
        message(reader, marker);
        assertEquals(1, reader.messages(channel).size(), "published over JSONP with the publish key: " + reader.events());
    }

    @Test
    void aWebSocketMayCarryItsTokenInTheAuthorizationHeader() throws Exception {
        String channel = channel("hdr");
        String sub = channel("u");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(channel), List.of()));
        Client ws = live(client("websocket", channel).header("Authorization", "Bearer " + token), channel);
        assertEquals(sub, ws.client(), ws.events().toString());
    }

    /** A JSONP publish refused: {@code cb({"type":"error","code":...});} (a script tag cannot read a status). */
    static void assertJsonpError(Http.Response r, String code, String what) {
        String body = r.body();
        assertTrue(r.status() == 200 && body.startsWith("cb(") && body.endsWith(");"), what + ": " + r);
        JsonObject answer = Json.object(body.substring(3, body.length() - 2));
        assertEquals("error", Client.type(answer), what + ": " + r);
        assertEquals(code, Client.string(answer, "code"), what + ": " + r);
    }

    @Test
    void presenceNeedsATokenThatMaySubscribeToTheChannel() throws Exception {
        String channel = channel("who");
        String sub = channel("u");
        live(withToken(client("sse", channel), Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(channel), List.of()))), channel);
        String path = "presence?channel=" + channel;
        answer(Http.get(base, path)).assertRefused(401, "unauthorized: ", "presence without a token");
        String elsewhere = Tokens.hs256(JWT_SECRET, Claims.of(channel("v"), List.of("room.*"), List.of()));
        answer(Http.get(base, path, "Authorization", "Bearer " + elsewhere))
                .assertRefused(403, "forbidden: ", "presence with a token that may not subscribe to the channel");
        String allowed = Tokens.hs256(JWT_SECRET, Claims.of(channel("v"), List.of(channel), List.of()));
        Http.Response r = Http.get(base, path + "&token=" + allowed);
        assertEquals(200, r.status(), r.toString());
        assertEquals(sub, r.json().getJsonArray("clients").getJsonObject(0).getString("client"), r.toString());
    }

    @Test
    void countsRefusalsInMetrics() {
        String unauthorized = "hub_refusals_total{code=\"unauthorized\"}";
        String forbidden = "hub_refusals_total{code=\"forbidden\"}";
        long unauthorizedBefore = metric(unauthorized);
        long forbiddenBefore = metric(forbidden);
        attemptWithToken("poll", "map", null).assertRefused(401, "unauthorized: ", "poll without a token");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(channel("u"), List.of("room"), List.of()));
        attemptWithToken("sse", "lobby", token).assertRefused(403, "forbidden: ", "sse on a channel not covered");
        assertIncreased(unauthorizedBefore, metric(unauthorized), unauthorized);
        assertIncreased(forbiddenBefore, metric(forbidden), forbidden);
    }
}
