package io.realtimehub.browser;

import io.realtimehub.it.clients.HubClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transport, in a real browser: a page publishes its position over it, and a page on another
 * transport sees that participant, with the right transport, move. Each transport is once the mover
 * and once the watcher.
 */
class BrowserTransportsIT extends BrowserItBase {

    @ParameterizedTest(name = "{0} page seen by a {1} page")
    @CsvSource({"websocket,sse", "poll,iframe", "jsonp,websocket", "iframe,jsonp", "sse,poll"})
    void pageSharesItsPositionWithAPageOnAnotherTransport(String transport, String watcherTransport) {
        Browser mover = browser(0);
        Browser watcher = browser(1);
        mover.open(baseUri(), "transport", transport, "name", "mover " + transport);
        watcher.open(baseUri(), "transport", watcherTransport, "name", "watcher");
        Map<String, Object> moverState = mover.awaitOpen();
        assertEquals(transport, moverState.get("transport"), "the mover's transport");
        assertEquals(watcherTransport, watcher.awaitOpen().get("transport"), "the watcher's transport");
        assertEquals(transport, mover.text("#transport"), "#transport shows the transport in use");
        String id = (String) moverState.get("id");
        assertEquals(id, mover.text("#client-id"));

        // Two positions, each exactly as the watcher must show it (the demo rounds to 1e-6).
        for (double[] at : new double[][] {{51.5312, 46.0251}, {51.5327, 46.0288}}) {
            mover.moveTo(at[0], at[1]);
            Map<String, String> seen = watcher.awaitParticipant(id, "at " + at[0] + ", " + at[1],
                    p -> at(p, at[0], at[1]));
            assertEquals(transport, seen.get("transport"), "transport shown for " + id);
            assertEquals("it-node", seen.get("node"));
            assertEquals("mover " + transport, seen.get("name"));
            assertEquals("mover " + transport, seen.get("label"));
            assertEquals("mover " + transport, seen.get("markerLabel"), "the dot on the map is labelled");
            assertNull(seen.get("self"), "the mover is not the watcher");
        }
        // The mover sees itself too, marked as itself, after its own event came back to it.
        Map<String, String> self = mover.awaitParticipant(id, "listed as self at its last position",
                p -> "true".equals(p.get("self")) && at(p, 51.5327, 46.0288));
        assertEquals("mover " + transport + " (you)", self.get("label"));
    }

    /** The transport menu: a user switches, keeps their client id, and the others see the new transport. */
    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"websocket,poll", "jsonp,websocket", "sse,iframe"})
    void switchingTransportFromTheMenuKeepsTheClientId(String from, String to) {
        Browser switcher = browser(0);
        Browser watcher = browser(1);
        watcher.open(baseUri(), "transport", "websocket", "name", "watcher");
        switcher.open(baseUri(), "transport", from, "name", "switcher");
        String id = (String) switcher.awaitOpen().get("id");
        watcher.awaitOpen();
        switcher.moveTo(51.53, 46.03);
        watcher.awaitParticipant(id, "via " + from, p -> from.equals(p.get("transport")));

        new Select(switcher.driver().findElement(By.id("transport-select"))).selectByValue(to);
        switcher.until("open via " + to, b -> to.equals(b.state().get("transport")) && "open".equals(b.state().get("status")));
        assertEquals(id, switcher.clientId(), "the same client id after the switch");
        assertTrue(switcher.driver().getCurrentUrl().contains("transport=" + to), "the URL follows the menu");
        switcher.moveTo(51.531, 46.031);
        Map<String, String> seen = watcher.awaitParticipant(id, "via " + to + " at its new position",
                p -> to.equals(p.get("transport")) && "51.531".equals(p.get("lat")));
        assertEquals("switcher", seen.get("name"));
    }

    /**
     * What happens on the channel while the page switches is not lost: the new connection resumes
     * from the last event the old one delivered. The new client's first connect is held until a
     * Java client has left and another has published, so both happen in the gap.
     */
    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"websocket,poll", "poll,sse"})
    void switchingTransportMissesNothing(String from, String to) throws Exception {
        Browser switcher = browser(0);
        switcher.open(baseUri(), "transport", from, "name", "switcher");
        String id = (String) switcher.awaitOpen().get("id");
        HubClient leaver = openLive("websocket", MAP);
        HubClient publisher = openLive("websocket", MAP);
        switcher.awaitParticipant(leaver.client(), "listed", p -> true);

        switcher.js("demo.switchTransport(arguments[0]); const c = demo.client;"
                + "window.__got = []; c.on('message', (ev) => { if (ev.from === arguments[1]) __got.push(ev.id); });"
                + "c.open = () => { window.__held = true; };", to, publisher.client());
        leaver.close();
        String published = publish("websocket", publisher, MAP, "{\"during\":\"switch\"}");
        switcher.js("const c = demo.client; delete c.open; c.open();");

        assertEquals(id, switcher.awaitOpen().get("id"));
        assertEquals(to, switcher.state().get("transport"));
        switcher.until("the message published during the switch", b -> ((List<?>) b.js("return __got")).contains(published));
        switcher.until("the client that left during the switch is gone", b -> b.participant(leaver.client()) == null);
    }

    /**
     * hub.js takes array frames (protocol v2): a WebSocket that resumes gets what it missed queued
     * at once behind its welcome, so the node sends it as one frame holding a JSON array.
     */
    @org.junit.jupiter.api.Test
    void hubJsTakesTheArrayFrameOfAResumedWebSocket() throws Exception {
        Browser page = browser(0);
        page.open(baseUri(), "transport", "websocket", "name", "resumer");
        page.awaitOpen();
        HubClient publisher = openLive("websocket", MAP);
        page.js("const W = window.WebSocket; window.__frames = [];"
                + "window.WebSocket = function (url, protocols) { const ws = new W(url, protocols);"
                + "  ws.addEventListener('message', (e) => __frames.push(String(e.data).charAt(0))); return ws; };"
                + "Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3}); window.WebSocket.prototype = W.prototype;"
                + "const c = demo.client; window.__got = [];"
                + "c.on('message', (ev) => { if (ev.from === arguments[0]) __got.push(ev.id); });"
                + "c.open = () => { window.__held = true; }; c.conn.ws.close();", publisher.client());
        page.until("the page lost its socket", b -> Boolean.TRUE.equals(b.js("return window.__held === true")));
        List<String> missed = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(publish("websocket", publisher, MAP, "{\"n\":" + i + "}"));
        }
        page.js("const c = demo.client; delete c.open; c.open();");
        page.until("every missed message, in order", b -> missed.equals(b.js("return __got")));
        assertEquals("[", page.js("return __frames[0]"), "the resume came as one array frame: " + page.js("return __frames"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"websocket,at once (close 1000)", "poll,after the session timeout (3 s in the ITs)"})
    void pageThatIsLeftDisappearsForTheOthers(String transport, String when) {
        Browser leaver = browser(0);
        Browser watcher = browser(1);
        watcher.open(baseUri(), "transport", "sse", "name", "watcher");
        leaver.open(baseUri(), "transport", transport, "name", "leaver");
        String id = (String) leaver.awaitOpen().get("id");
        watcher.awaitOpen();
        leaver.moveTo(51.53, 46.03);
        watcher.awaitParticipant(id, "listed", p -> "leaver".equals(p.get("name")));
        long left = System.nanoTime();
        leaver.leave();
        watcher.until("the leaver's leave is logged and it is gone from list and map " + when, b -> (Boolean) b.js(
                "const id = arguments[0];"
                        + "const has = (sel, attr) => [...document.querySelectorAll(sel)].some((e) => e.getAttribute(attr) === id);"
                        + "return has('#activity > li[data-type=leave]', 'data-client')"
                        + " && !has('#participants > li', 'data-client') && !has('#map [data-marker]', 'data-marker');", id));
        if (transport.equals("websocket")) {
            long ms = (System.nanoTime() - left) / 1_000_000;
            // The other way out, the session timeout, takes 3 s at least.
            assertTrue(ms < 3000, "a closed WebSocket leaves at once, not after the 3 s session timeout: " + ms + " ms");
        }
    }

    private static boolean at(Map<String, String> participant, double lat, double lng) {
        String shownLat = participant.get("lat");
        String shownLng = participant.get("lng");
        return shownLat != null && shownLng != null
                && Math.abs(Double.parseDouble(shownLat) - lat) < 1e-9 && Math.abs(Double.parseDouble(shownLng) - lng) < 1e-9;
    }
}
