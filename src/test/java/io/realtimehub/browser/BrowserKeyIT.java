package io.realtimehub.browser;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hub.js and resume keys: it keeps the key of its welcome and sends it with its id, so a drop is
 * resumed as the same client; an id whose key the hub refuses (a stale key, nodes without a
 * shared hub.secret) is given up for a new one, visibly (403 to a poll) or, where the browser hides
 * the status (a refused WebSocket handshake), after three failed resumes.
 */
class BrowserKeyIT extends BrowserItBase {
    private static final String CONNECT = """
            const [transport, channel, client, key] = arguments;
            const c = window.__keyed = Hub.connect({url: new URL('.', location.href).href, transport: transport,
              channels: [channel], client: client, key: key, backoffBase: 200});
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "sse"})
    void aRefusedKeyIsDroppedForANewIdAndTheClientOpens(String transport) {
        Browser page = browser(0);
        page.open(baseUri(), "transport", "poll", "name", "keys");
        page.awaitOpen();
        page.js(CONNECT, transport, uniqueChannel(), "mallory-" + transport, "AAAAAAAAAAAAAAAAAAAAAA");
        Map<?, ?> state = (Map<?, ?>) page.until("the client is open under an id of its own", b -> b.js(
                "const c = __keyed; return c.status === 'open' ? {id: c.id, key: c.key} : null"));
        assertNotEquals("mallory-" + transport, state.get("id"), "the refused id was given up");
        assertTrue(String.valueOf(state.get("key")).matches("[A-Za-z0-9_-]{22}"), "the new id's key: " + state);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll"})
    void aDropIsResumedWithTheWelcomesKeyAsTheSameClient(String transport) {
        Browser page = browser(0);
        page.open(baseUri(), "transport", transport, "name", "resumer");
        Map<String, Object> before = page.awaitOpen();
        String key = (String) page.js("return demo.client.key");
        assertTrue(key != null && key.matches("[A-Za-z0-9_-]{22}"), "the welcome's key is kept: " + key);
        page.js("demo.client._dropConnection()");
        page.until("reconnected", b -> Long.valueOf(1).equals(
                b.js("return demo.client.status === 'open' && demo.client.reconnects")));
        assertEquals(before.get("id"), page.js("return demo.client.id"), "resumed as the same client");
        assertEquals(key, page.js("return demo.client.key"));
    }
}
