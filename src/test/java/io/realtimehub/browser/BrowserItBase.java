package io.realtimehub.browser;

import io.realtimehub.it.HubItBase;
import io.realtimehub.it.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Browser ITs: the demo page in headless Chromium against the WAR in the managed Tomcat. Starting
 * a browser costs a second or more of CPU, so the browsers are shared by every browser IT of the
 * test run (started as needed, quit when the run ends); after each test every page is left, so its
 * client closes and leaves channel {@code map}.
 */
@ExtendWith(BrowserItBase.Pool.class)
abstract class BrowserItBase extends HubItBase {
    /** The demo's channel. */
    static final String MAP = "map";

    private static Pool pool;

    /** The first {@code count} browsers, started as needed. */
    protected static List<Browser> browsers(int count) {
        return pool.first(count);
    }

    protected static Browser browser(int index) {
        return browsers(index + 1).get(index);
    }

    @AfterEach
    void leavePages() {
        pool.leaveAll();
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

    /** The run's browsers, kept in JUnit's root store, which closes them when the run ends. */
    static final class Pool implements BeforeAllCallback, AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final List<Browser> browsers = new ArrayList<>();

        @Override
        public void beforeAll(ExtensionContext context) {
            pool = context.getRoot().getStore(ExtensionContext.Namespace.create(Pool.class))
                    .getOrComputeIfAbsent(Pool.class, key -> new Pool(), Pool.class);
        }

        synchronized List<Browser> first(int count) {
            while (browsers.size() < count) {
                browsers.add(Browser.start());
            }
            return List.copyOf(browsers.subList(0, count));
        }

        synchronized void leaveAll() {
            browsers.forEach(Browser::leave);
        }

        @Override
        public synchronized void close() {
            browsers.forEach(Browser::close);
            browsers.clear();
        }
    }
}
