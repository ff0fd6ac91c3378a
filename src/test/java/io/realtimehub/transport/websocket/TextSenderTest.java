package io.realtimehub.transport.websocket;

import io.realtimehub.core.Event;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The bytes of a text frame are those of its string, built from each event's UTF-8 made once per node. */
class TextSenderTest {
    private static final Event A = Event.message("0000000000001-a", "map", "c1", 1, Json.createValue("héllo \u2028 ☃"));
    private static final Event B = Event.message("0000000000002-b", "map", null, 2, Json.createValue(42));

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void aLoneEventIsItsOwnSharedBytesInAViewOfItsOwn() {
        ByteBuffer first = TextSender.frameBytes(List.of(A));
        ByteBuffer second = TextSender.frameBytes(List.of(A));
        assertSame(A.utf8(), first.array(), "not copied");
        assertArrayEquals(A.json().getBytes(StandardCharsets.UTF_8), bytes(first));
        assertEquals(A.utf8().length, second.remaining(), "reading one view leaves the next whole");
    }

    @Test
    void severalEventsAreTheArrayFramesBytes() {
        List<Event> batch = List.of(A, B, A);
        assertEquals("[" + A.json() + "," + B.json() + "," + A.json() + "]", TextSender.frame(batch));
        assertArrayEquals(TextSender.frame(batch).getBytes(StandardCharsets.UTF_8), bytes(TextSender.frameBytes(batch)));
    }
}
