package io.realtimehub.load;

import io.realtimehub.it.HubItBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool, in-process, against the IT container, far below the load targets: every
 * transport must deliver every message exactly once and in order. The container ends iframes
 * after 4 s, so a 6 s run also covers resuming a stream with {@code since}.
 */
class LoadToolIT extends HubItBase {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void deliversEveryMessageOnceAndInOrder(String transport) throws Exception {
        var log = new StringWriter();
        Options options = Options.parse("--url", base.toString(), "--transport", transport, "--subscribers", "20",
                "--rate", "40", "--size", "16", "--duration", "6", "--drain", "5", "--poll-timeout", "2",
                "--connect-timeout", "20", "--label", "LoadToolIT " + transport);
        Result result = new LoadTool(options, log).run();
        String report = result.table() + "\n" + log;
        assertAll(
                () -> assertEquals(20, result.stats().live, "connected\n" + report),
                () -> assertTrue(result.published() >= 200, "published\n" + report),
                () -> assertEquals(0, result.publishFailures(), "publish failures\n" + report),
                () -> assertEquals(0, result.lost(), "lost\n" + report),
                () -> assertEquals(0, result.stats().duplicates, "duplicates\n" + report),
                () -> assertEquals(0, result.stats().outOfOrder, "out of order\n" + report),
                () -> assertEquals(0, result.stats().drops, "dropped\n" + report),
                () -> assertTrue(result.clean(), report));
    }
}
