package io.realtimehub.browser;

import io.realtimehub.it.clients.HubClient;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Event data is other people's input: markup in it is shown as text, never run, whatever transport
 * carries it. The iframe and JSONP transports put events inside a script, so they are watched too.
 */
class BrowserMarkupIT extends BrowserItBase {
    private static final String IMG = "<img src=x onerror=\"window.__xss=1\">";
    private static final String SCRIPT = "</script><script>window.__xss=2</script>";
    private static final String SVG = "<svg onload=window.__xss=3>";

    @Test
    void showsMarkupInEventDataAsText() throws Exception {
        List<Browser> pages = browsers(3);
        Browser author = pages.get(0);
        author.open(baseUri(), "transport", "websocket", "name", IMG);
        pages.get(1).open(baseUri(), "transport", "iframe", "name", "iframe watcher");
        pages.get(2).open(baseUri(), "transport", "jsonp", "name", "jsonp watcher");
        pages.forEach(Browser::awaitOpen);
        String authorId = author.clientId();
        author.moveTo(51.53, 46.03);

        // Published raw by a Java client: no page code shaped this data on its way out.
        HubClient raw = openLive("websocket", MAP);
        publish("websocket", raw, MAP, Json.createObjectBuilder()
                .add("lat", 51.535).add("lng", 46.02).add("name", SCRIPT).add("transport", SVG).add("node", IMG)
                .build().toString());

        for (Browser page : pages) {
            Map<String, String> author1 = page.awaitParticipant(authorId, "with its name", p -> IMG.equals(p.get("name")));
            assertEquals(IMG, author1.get("markerLabel"), "map label, as text");
            Map<String, String> raw1 = page.awaitParticipant(raw.client(), "with its name", p -> SCRIPT.equals(p.get("name")));
            assertEquals(SCRIPT, raw1.get("label"));
            assertEquals(SCRIPT, raw1.get("markerLabel"));
            // Visible as text, the way a user reads it.
            String own = page == author ? " (you)" : "";
            assertEquals(IMG + own, page.text("#participants > li[data-client='" + authorId + "'] strong"));
            assertEquals(SCRIPT, page.text("#participants > li[data-client='" + raw.client() + "'] strong"));
            assertEquals(SVG + " · " + IMG + " · 51.5350, 46.0200",
                    page.text("#participants > li[data-client='" + raw.client() + "'] .meta"));
            // No element was made from the data, and nothing ran.
            assertEquals(0L, page.js("return document.querySelectorAll("
                    + "'#participants img, #participants script, #participants svg, #map-markers img,"
                    + " #map-markers script, #map-markers svg, #activity img, #activity script, #activity svg').length"));
            assertEquals("undefined", page.js("return typeof window.__xss"), "markup in event data ran");
        }
    }
}
