package io.realtimehub.transport;

import io.realtimehub.core.Event;

import java.util.List;

/** XHR long-polling: the response is a JSON array of every event queued for the client. */
public final class PollFormat extends FrameFormat {
    @Override
    public String transport() {
        return "poll";
    }

    @Override
    public String contentType() {
        return "application/json;charset=UTF-8";
    }

    @Override
    public boolean streaming() {
        return false;
    }

    @Override
    public byte[] frames(List<Event> events, String callback) {
        return array(NONE, events, NONE);
    }
}
