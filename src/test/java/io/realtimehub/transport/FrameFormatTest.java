package io.realtimehub.transport;

import io.realtimehub.core.Event;
import io.realtimehub.core.JsonText;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact bytes of every HTTP transport's frames. */
class FrameFormatTest {
    private final Event message = Event.message("e1", "map", "c1", 5, JsonText.parse("{\"s\":\"</script>\"}"));
    private final Event welcome = Event.welcome("c1", null, "node-1", "sse", false, "map~");
    private static final String MESSAGE_JSON =
            "{\"id\":\"e1\",\"channel\":\"map\",\"type\":\"message\",\"from\":\"c1\",\"ts\":5,\"data\":{\"s\":\"\\u003c/script\\u003e\"}}";

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void pollAnswersAJsonArray() {
        var poll = new PollFormat();
        assertEquals("[" + MESSAGE_JSON + "," + MESSAGE_JSON + "]", text(poll.frames(List.of(message, message), null)));
        assertEquals("[]", text(poll.frames(List.of(), null)));
        assertEquals("application/json;charset=UTF-8", poll.contentType());
    }

    @Test
    void jsonpWrapsTheArrayInTheCallback() {
        assertEquals("cb.x([" + MESSAGE_JSON + "]);", text(new JsonpFormat().frames(List.of(message), "cb.x")));
        assertEquals("cb([]);", text(new JsonpFormat().frames(List.of(), "cb")));
    }

    @Test
    void iframeSendsOneScriptPerEventAfterAPaddedPrelude() {
        var iframe = new IframeFormat();
        assertEquals("<script>parent.f(" + MESSAGE_JSON + ");</script>\n",
                text(iframe.frames(List.of(message), "parent.f")));
        String prelude = text(iframe.prelude("parent.f"));
        assertTrue(prelude.startsWith("<!DOCTYPE html>"));
        assertTrue(prelude.length() >= 1024, "browsers render a streamed page only after ~1 KiB");
        assertEquals("<!-- -->\n", text(iframe.heartbeat()));
    }

    @Test
    void sseSendsIdAndDataLinesAndNoIdForControlEvents() {
        var sse = new SseFormat();
        assertEquals("data: " + welcome.json() + "\n\nid: e1\ndata: " + MESSAGE_JSON + "\n\n",
                text(sse.frames(List.of(welcome, message), null)));
        assertEquals(": heartbeat\n\n", text(sse.heartbeat()));
        assertEquals("text/event-stream;charset=UTF-8", sse.contentType());
    }
}
