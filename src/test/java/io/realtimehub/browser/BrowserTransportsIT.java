package io.realtimehub.browser;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    private static boolean at(Map<String, String> participant, double lat, double lng) {
        String shownLat = participant.get("lat");
        String shownLng = participant.get("lng");
        return shownLat != null && shownLng != null
                && Math.abs(Double.parseDouble(shownLat) - lat) < 1e-9 && Math.abs(Double.parseDouble(shownLng) - lng) < 1e-9;
    }
}
