package io.realtimehub.browser;

import io.realtimehub.it.clients.HubClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page whose connection drops keeps its client id and, resuming with {@code since}, gets every
 * event published meanwhile, once: what hub.js promises the application.
 */
class BrowserReconnectIT extends BrowserItBase {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void keepsItsIdAndMissesNothingAcrossAReconnect(String transport) throws Exception {
        Browser page = browser(0);
        page.open(baseUri(), "transport", transport, "name", "dropper");
        String id = (String) page.awaitOpen().get("id");
        HubClient publisher = openLive("websocket", MAP);
        // What the application sees: every message from the Java publisher, and any reset.
        page.js("window.__got = []; window.__resets = 0;"
                + "demo.client.on('message', (ev) => { if (ev.from === arguments[0]) __got.push(ev.id); });"
                + "demo.client.on('reset', () => __resets++);", publisher.client());

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            published.add(publish("websocket", publisher, MAP, "{\"before\":" + i + "}"));
        }
        awaitReceived(page, published.size());

        // Hold the reconnect until the test has published: the drop's backoff is random (0 to
        // 500 ms) and could otherwise end before the first event goes out. open() cancels a pending
        // retry timer, so calling it once the stub is gone reconnects exactly once.
        Object dropped = page.js("const c = demo.client; c.open = () => { window.__held = true; };"
                + "return c._dropConnection() && c.status;");
        assertEquals("reconnecting", dropped, "the page noticed the drop");
        for (int i = 0; i < 5; i++) {
            published.add(publish("websocket", publisher, MAP, "{\"during\":" + i + "}"));
        }
        page.js("const c = demo.client; delete c.open; c.open();");

        Map<String, Object> after = page.awaitOpen();
        assertEquals(id, after.get("id"), "the same client id after the reconnect");
        assertEquals(transport, after.get("transport"));
        assertEquals(1L, after.get("reconnects"));
        page.until("#reconnects shows 1", b -> "1".equals(b.text("#reconnects")));
        assertEquals(id, page.text("#client-id"));
        for (int i = 0; i < 2; i++) {
            published.add(publish("websocket", publisher, MAP, "{\"after\":" + i + "}"));
        }
        List<?> got = awaitReceived(page, published.size());
        assertEquals(published, got, "every event once, in order, across the reconnect");
        assertEquals(0L, page.js("return __resets"), "resumed from since: no reset");
        // The page's participant entry survived too: it is still itself, with no duplicate.
        Map<String, String> self = page.awaitParticipant(id, "still listed as self", p -> "true".equals(p.get("self")));
        assertEquals(transport, self.get("transport"));
        assertEquals(1L, page.js("return document.querySelectorAll('#participants > li[data-self]').length"));
        assertTrue(page.consoleProblems().stream().noneMatch(m -> m.contains("Uncaught")), "no uncaught errors");
    }

    /**
     * The server ends each iframe page (after 4 s in the ITs, 25 s or 64 KiB in production) and
     * hub.js opens the next one with {@code since}: events keep coming, once each, and the page
     * stays open all along.
     */
    @Test
    void iframeStreamsEndedByTheServerAreReplacedWithoutLoss() throws Exception {
        Browser page = browser(0);
        page.open(baseUri(), "transport", "iframe", "name", "recycled");
        page.awaitOpen();
        HubClient publisher = openLive("websocket", MAP);
        page.js("window.__got = []; window.__statuses = [];"
                + "demo.client.on('message', (ev) => { if (ev.from === arguments[0]) __got.push(ev.id); });"
                + "demo.client.on('status', (s) => __statuses.push(s));", publisher.client());
        List<String> published = new ArrayList<>();
        long firstFrame = (Long) page.js("return demo.client.conn.generation");
        // A steady 10 events/s (the pace is the point: events just before and after the
        // replacement) until the server has ended the page and hub.js replaced it: ~4 s here.
        int n = 0;
        while ((Long) page.js("return demo.client.conn.generation") == firstFrame) {
            published.add(publish("websocket", publisher, MAP, "{\"n\":" + n++ + "}"));
            assertTrue(n < 150, "the iframe was not replaced in 15 s");
            Thread.sleep(100);
        }
        for (int i = 0; i < 5; i++) {
            published.add(publish("websocket", publisher, MAP, "{\"then\":" + i + "}"));
            Thread.sleep(100);
        }
        published.add(publish("websocket", publisher, MAP, "{\"last\":true}"));
        assertEquals(published, awaitReceived(page, published.size()), "every event once, in order");
        assertEquals(List.of(), page.js("return __statuses"), "no status change while streams are replaced");
        assertEquals(0L, page.state().get("reconnects"));
    }

    private static List<?> awaitReceived(Browser page, int count) {
        return page.until(count + " messages from the publisher", b -> {
            List<?> got = (List<?>) b.js("return __got");
            return got.size() >= count ? got : null;
        });
    }
}
