package io.realtimehub.browser;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five people, one per transport, on the map: the picture in docs/demo.png comes from here
 * (target/screenshots/demo.png; copy it over when the page's look changes on purpose).
 */
class BrowserScreenshotIT extends BrowserItBase {
    static final Path SHOT = Path.of("target", "screenshots", "demo.png");

    private record Person(String name, String transport, double lat, double lng) {
    }

    // Spread over the demo's made-up town, clear of each other's labels.
    private static final List<Person> PEOPLE = List.of(
            new Person("Ada", "websocket", 51.5372, 46.0128),
            new Person("Grace", "sse", 51.5268, 46.0386),
            new Person("Linus", "poll", 51.5198, 46.0178),
            new Person("Margaret", "iframe", 51.5412, 46.0452),
            new Person("Tim", "jsonp", 51.5216, 46.0518));

    @Test
    void screenshotsTheDemoWithEveryTransport() throws Exception {
        awaitEmptyMap(); // nobody left over from other tests on the picture
        List<Browser> pages = browsers(PEOPLE.size());
        // The first page is the one photographed: a laptop-sized window.
        Browser shown = pages.get(0).viewport(1440, 1000);
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < PEOPLE.size(); i++) {
                Person p = PEOPLE.get(i);
                pages.get(i).open(baseUri(), "transport", p.transport(), "name", p.name());
            }
            for (int i = 0; i < PEOPLE.size(); i++) {
                Browser page = pages.get(i);
                assertEquals(PEOPLE.get(i).transport(), page.awaitOpen().get("transport"));
                ids.add(page.clientId());
                page.moveTo(PEOPLE.get(i).lat(), PEOPLE.get(i).lng());
            }
            for (int i = 0; i < PEOPLE.size(); i++) {
                Person p = PEOPLE.get(i);
                shown.awaitParticipant(ids.get(i), p.name() + " via " + p.transport(),
                        q -> p.name().equals(q.get("name")) && p.transport().equals(q.get("transport"))
                                && String.valueOf(p.lat()).equals(q.get("lat")));
            }
            shown.until("exactly the five on the map and all in view, latency measured, markers at rest", b -> (Boolean) b.js(
                    "return document.querySelectorAll('#participants > li').length === 5"
                            + " && document.querySelectorAll('#map [data-marker]').length === 5"
                            + " && document.getElementById('latency').textContent !== '–'"
                            + " && document.getElementById('participants').scrollHeight <= document.getElementById('participants').clientHeight"
                            + " && [...document.querySelectorAll('#map .marker')].every((m) => m.getAnimations().length === 0)"));
            shown.screenshot(SHOT);
            assertTrue(Files.size(SHOT) > 20_000, "a real picture");
        } finally {
            shown.viewport(Browser.WIDTH, Browser.HEIGHT);
        }
    }
}
