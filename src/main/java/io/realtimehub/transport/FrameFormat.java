package io.realtimehub.transport;

import io.realtimehub.core.Event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What makes one HTTP transport differ from another: its content type, the bytes that open a
 * response, the frame around each batch of events, and its heartbeat. Everything else (sessions,
 * queues, non-blocking writes) is shared in {@link HttpConnection}.
 */
public abstract class FrameFormat {
    protected static final byte[] NONE = new byte[0];

    /** The transport's wire name. */
    public abstract String transport();

    public abstract String contentType();

    /** Streams keep the response open for event after event; polls answer one batch and complete. */
    public abstract boolean streaming();

    /** Whether a {@code callback} parameter is required (JSONP, IFrame). */
    public boolean needsCallback() {
        return false;
    }

    /** Bytes that open the response. */
    public byte[] prelude(String callback) {
        return NONE;
    }

    /** The bytes for {@code events}; for a poll, the whole response body (also when empty). */
    public abstract byte[] frames(List<Event> events, String callback);

    /** Bytes that keep proxies from timing an idle stream out. */
    public byte[] heartbeat() {
        return NONE;
    }

    /** Bytes that close the response (e.g. the end of an HTML page). */
    public byte[] epilogue() {
        return NONE;
    }

    protected static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Joins events as a JSON array: {@code [e1,e2]}, reusing each event's encoded bytes. */
    protected static void array(ByteArrayOutputStream out, List<Event> events) {
        out.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i).utf8());
        }
        out.write(']');
    }

    /** The bytes {@code event} takes in {@link #frames} (for a batch's size, before it is written). */
    public int frameBytes(Event event, String callback) {
        return event.utf8().length + 1; // a JSON array's comma
    }

    protected static int size(List<Event> events) {
        int size = 16;
        for (Event event : events) {
            size += event.utf8().length + 24;
        }
        return size;
    }
}
