package io.realtimehub.transport;

import io.realtimehub.core.Event;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The forever frame: an HTML page streamed one {@code <script>NAME(event);</script>} per event.
 * Event JSON escapes {@code < > &} and U+2028/9, so no data can close the script.
 */
public final class IframeFormat extends FrameFormat {
    /** Some browsers render nothing of a streamed page before about 1 KiB has arrived. */
    private static final String PADDING = " ".repeat(1024);
    private static final byte[] HEARTBEAT = ascii("<!-- -->\n");
    private static final byte[] END = ascii("</body></html>\n");

    @Override
    public String transport() {
        return "iframe";
    }

    @Override
    public String contentType() {
        return "text/html;charset=UTF-8";
    }

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public boolean needsCallback() {
        return true;
    }

    @Override
    public byte[] prelude(String callback) {
        return ascii("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "</head><body>\n<!--" + PADDING + "-->\n");
    }

    @Override
    public byte[] frames(List<Event> events, String callback) {
        byte[] open = ascii("<script>" + callback + "(");
        byte[] close = ascii(");</script>\n");
        var out = new ByteArrayOutputStream(size(events) + events.size() * (open.length + close.length));
        for (Event event : events) {
            out.writeBytes(open);
            out.writeBytes(event.utf8());
            out.writeBytes(close);
        }
        return out.toByteArray();
    }

    @Override
    public int frameBytes(Event event, String callback) {
        return "<script>(".length() + callback.length() + event.utf8().length + ");</script>\n".length();
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] epilogue() {
        return END;
    }
}
