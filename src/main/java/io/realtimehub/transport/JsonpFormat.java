package io.realtimehub.transport;

import io.realtimehub.core.Event;

import java.util.List;

/** JSONP long-polling: {@code NAME([...events]);}. Event JSON is already script-safe (see JsonText). */
public final class JsonpFormat extends FrameFormat {
    @Override
    public String transport() {
        return "jsonp";
    }

    @Override
    public String contentType() {
        return "application/javascript;charset=UTF-8";
    }

    @Override
    public boolean streaming() {
        return false;
    }

    private static final byte[] END = ascii(");");

    @Override
    public boolean needsCallback() {
        return true;
    }

    @Override
    public byte[] frames(List<Event> events, String callback) {
        return array(ascii(callback + "("), events, END);
    }
}
