package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forever frame ends after hub.iframe.maxAge (4 s here) or 64 KiB; the client resumes with no loss, no duplicate. */
class IframeRecycleIT extends HubItBase {

    @Test
    void recyclesAfterTheTimeLimitWithoutLoss() throws Exception {
        String channel = uniqueChannel();
        HubClient publisher = openLive("websocket", channel);
        HubClient iframe = openLive("iframe", channel);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            published.add(publish("websocket", publisher, channel, String.valueOf(i)));
            Thread.sleep(500);
        }
        assertEquals(published, ids(iframe.awaitMessages(channel, published.size(), WAIT)));
        assertTrue(iframe.responsesEnded() >= 1, "the page was never recycled");
        Thread.sleep(300);
        assertEquals(published.size(), iframe.messages(channel).size(), "duplicates");
    }

    @Test
    void recyclesAfterTheSizeLimitWithoutLoss() throws Exception {
        String channel = uniqueChannel();
        HubClient publisher = openLive("websocket", channel);
        HubClient iframe = openLive("iframe", channel);
        String chunk = "\"" + "k".repeat(10_000) + "\"";
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            published.add(publish("websocket", publisher, channel, chunk));
        }
        assertEquals(published, ids(iframe.awaitMessages(channel, published.size(), WAIT)));
        assertTrue(iframe.responsesEnded() >= 2, "200 KB through 64 KiB pages needs at least 3 pages");
        Thread.sleep(300);
        assertEquals(published.size(), iframe.messages(channel).size(), "duplicates");
    }
}
