package io.realtimehub.browser;

import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.HubDeployment;
import io.realtimehub.it.support.TestTokens;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hub.js with {@code getToken} on a hub with HS256 tokens on (a WAR of its own): the page's first
 * token expires a few seconds in, the hub ends its connection (WebSocket close 4001, an
 * {@code unauthorized} error event on streams, 401 to the next poll), hub.js asks getToken again
 * and resumes with {@code since}: the application gets every event once, in order, under the
 * token's {@code sub}. The tokens are minted here, as an application's back end would.
 */
@ExtendWith({ArquillianExtension.class, BrowserItBase.Pool.class})
@RunAsClient
class BrowserTokenIT {
    private static final String JWT_SECRET = "browser-token-it-hs256-secret-0123456789";
    /** A page of the WAR with hub.js and nothing else: the test drives the client. */
    private static final String PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>tokens</title>"
            + "<script src=\"js/hub.js\"></script></head><body></body></html>";
    /** The page's client: getToken hands out the tokens the test gave it, in turn (the last one stays). */
    private static final String CONNECT = """
            const [tokens, transport, channel] = arguments;
            window.__asked = 0; window.__got = []; window.__statuses = []; window.__errors = [];
            const c = window.__client = Hub.connect({url: new URL('.', location.href).href, transport: transport,
              channels: [channel],
              getToken: () => { __asked++; const t = tokens.length > 1 ? tokens.shift() : tokens[0];
                return new Promise((resolve) => setTimeout(() => resolve(t), 20)); }});
            c.on('message', (ev) => __got.push(ev.id));
            c.on('status', (s) => __statuses.push(s));
            c.on('error', (ev) => __errors.push(ev.code));
            """;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubDeployment.withParameters("tokens.war", Map.of("hub.auth.jwt.secret", JWT_SECRET))
                .addAsWebResource(new StringAsset(PAGE), "tokens.html");
    }

    @AfterEach
    void leavePage() {
        BrowserItBase.browser(0).leave();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "poll", "iframe", "jsonp"})
    void resumesWithAFreshTokenAcrossAnExpiryAndLosesNothing(String transport) throws Exception {
        String channel = "tok-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = "alice-" + transport;
        String publisher = TestTokens.mint(JWT_SECRET, "pub-" + transport, Duration.ofMinutes(5));
        List<String> tokens = List.of(TestTokens.mint(JWT_SECRET, sub, Duration.ofSeconds(4)),
                TestTokens.mint(JWT_SECRET, sub, Duration.ofMinutes(5)));
        Browser page = BrowserItBase.browser(0);
        page.driver().get(base.toURI().resolve("tokens.html").toString());
        page.js(CONNECT, new ArrayList<>(tokens), transport, channel);
        page.until("the client is open", b -> "open".equals(b.js("return __client.status")));
        assertEquals(1L, page.js("return __asked"), "getToken before the first connect");
        assertEquals(sub, page.js("return __client.id"), "the id is the token's sub");

        // A steady 5 events/s until the page has reconnected with its second token, then a few more.
        List<String> published = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!reconnected(page)) {
            assertTrue(System.nanoTime() < end, "no reconnect with a fresh token within 20 s: " + state(page));
            published.add(publish(publisher, channel, published.size()));
            Thread.sleep(200);
        }
        for (int i = 0; i < 5; i++) {
            published.add(publish(publisher, channel, published.size()));
            Thread.sleep(100);
        }
        List<?> got = page.until(published.size() + " messages", b -> {
            List<?> ids = (List<?>) b.js("return __got");
            return ids.size() >= published.size() ? ids : null;
        });
        assertEquals(published, got, "every event once, in order, across the expiry: " + state(page));
        assertTrue((Long) page.js("return __asked") >= 2, "getToken asked again after the expiry");
        assertEquals(sub, page.js("return __client.id"), "the same id after the expiry");
        assertEquals(List.of(), page.js("return __statuses.slice(__statuses.indexOf('open'))"
                        + ".filter((s) => s !== 'reconnecting' && s !== 'open')"),
                "once open, only reconnecting and open again: " + state(page));
    }

    /** Open again after at least one reconnect, on the second token. */
    private static boolean reconnected(Browser page) {
        return Boolean.TRUE.equals(page.js("return __client.status === 'open' && __client.reconnects >= 1"
                + " && __asked >= 2"));
    }

    private static Object state(Browser page) {
        return page.js("const c = __client; return JSON.stringify({status: c.status, id: c.id, transport: c.transport,"
                + " reconnects: c.reconnects, asked: __asked, statuses: __statuses, errors: __errors,"
                + " got: __got.length})");
    }

    /** POST /publish with the publisher's token (tokens on: an anonymous publish would be refused). */
    private String publish(String token, String channel, int n) {
        Http.Response r = Http.post(base, "publish?token=" + token, "application/json",
                "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}");
        assertEquals(202, r.status(), r.toString());
        return r.json().getString("id");
    }
}
