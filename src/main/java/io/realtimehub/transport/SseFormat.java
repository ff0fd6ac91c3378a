package io.realtimehub.transport;

import io.realtimehub.core.Event;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Server-Sent Events: {@code id:} carries the event id, so EventSource resumes by itself. */
public final class SseFormat extends FrameFormat {
    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA = ascii("data: ");
    private static final byte[] HEARTBEAT = ascii(": heartbeat\n\n");

    @Override
    public String transport() {
        return "sse";
    }

    @Override
    public String contentType() {
        return "text/event-stream;charset=UTF-8";
    }

    @Override
    public boolean streaming() {
        return true;
    }

    /** The retry hint keeps EventSource's reconnect short; the comment opens the stream at once. */
    @Override
    public byte[] prelude(String callback) {
        return ascii("retry: 1000\n: hub\n\n");
    }

    @Override
    public byte[] frames(List<Event> events, String callback) {
        var out = new ByteArrayOutputStream(size(events));
        for (Event event : events) {
            if (event.id() != null) { // control events (welcome, reset) must not move Last-Event-ID
                out.writeBytes(ID);
                out.writeBytes(ascii(event.id()));
                out.write('\n');
            }
            out.writeBytes(DATA);
            out.writeBytes(event.utf8()); // encoded JSON never contains a raw newline
            out.write('\n');
            out.write('\n');
        }
        return out.toByteArray();
    }

    @Override
    public int frameBytes(Event event, String callback) {
        return (event.id() != null ? ID.length + event.id().length() + 1 : 0) + DATA.length + event.utf8().length + 2;
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }
}
