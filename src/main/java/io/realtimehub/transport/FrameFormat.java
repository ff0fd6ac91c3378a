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

    /**
     * {@code head}, the events as a JSON array ({@code [e1,e2]}, from each event's bytes encoded once
     * per node), then {@code tail}: written once into an array of the exact size (a poll's whole
     * body; a growing buffer copied out at the end cost a second copy of every answer).
     */
    protected static byte[] array(byte[] head, List<Event> events, byte[] tail) {
        int length = head.length + 2 + Math.max(0, events.size() - 1) + tail.length;
        for (Event event : events) {
            length += event.utf8().length;
        }
        byte[] out = new byte[length];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        out[at++] = '[';
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] bytes = events.get(i).utf8();
            System.arraycopy(bytes, 0, out, at, bytes.length);
            at += bytes.length;
        }
        out[at++] = ']';
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
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
