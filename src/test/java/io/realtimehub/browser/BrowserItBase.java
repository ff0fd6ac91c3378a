package io.realtimehub.browser;

import io.realtimehub.it.HubItBase;
import io.realtimehub.it.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Browser ITs: the demo page in headless Chromium against the WAR in the managed Tomcat. The
 * browsers of a test class are started once (in parallel: ~1 s each) and reused; after each test
 * every page is left, so its client closes and leaves channel {@code map}.
 */
abstract class BrowserItBase extends HubItBase {
    /** The demo's channel. */
    static final String MAP = "map";

    private static final List<Browser> BROWSERS = new ArrayList<>();

    /** The first {@code count} browsers of this class, started as needed. */
    protected static List<Browser> browsers(int count) {
        synchronized (BROWSERS) {
            List<CompletableFuture<Browser>> starting = new ArrayList<>();
            for (int i = BROWSERS.size(); i < count; i++) {
                starting.add(CompletableFuture.supplyAsync(Browser::start));
            }
            for (CompletableFuture<Browser> b : starting) {
                BROWSERS.add(b.join());
            }
            return List.copyOf(BROWSERS.subList(0, count));
        }
    }

    protected static Browser browser(int index) {
        return browsers(index + 1).get(index);
    }

    @AfterEach
    void leavePages() {
        synchronized (BROWSERS) {
            BROWSERS.forEach(Browser::leave);
        }
    }

    @AfterAll
    static void closeBrowsers() {
        synchronized (BROWSERS) {
            BROWSERS.forEach(Browser::close);
            BROWSERS.clear();
        }
    }

    /**
     * Waits until nobody is on channel {@code map} any more: clients of earlier tests that could not
     * say goodbye (a long-poll just stops polling) time out after the IT container's 3 s.
     */
    protected void awaitEmptyMap() throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < end) {
            Http.Response r = Http.get(base, "presence?channel=" + MAP);
            body = r.body();
            if (r.status() == 200 && r.json().getJsonArray("clients").isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("channel map still has clients after " + WAIT + ": " + body);
    }
}
