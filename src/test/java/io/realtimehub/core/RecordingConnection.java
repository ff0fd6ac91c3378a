package io.realtimehub.core;

import java.util.ArrayList;
import java.util.List;

/** A connection that takes everything queued as soon as it is woken, or holds still when {@code stalled}. */
final class RecordingConnection implements Connection {
    final List<Event> received = new ArrayList<>();
    final List<CloseReason> closes = new ArrayList<>();
    ClientSession session;
    boolean stalled;
    /** A long-poll's timeout, as an HTTP poll connection reports it; 0 for a stream. */
    long hold;

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public long holdMillis() {
        return hold;
    }

    @Override
    public void wake() {
        if (!stalled && session != null) {
            Event event;
            while ((event = session.poll(this)) != null) {
                received.add(event);
            }
        }
    }

    @Override
    public void close(CloseReason reason) {
        closes.add(reason);
    }

    List<Event> ofType(String type) {
        return received.stream().filter(e -> type.equals(e.type())).toList();
    }

    List<String> messageIds() {
        return ofType(Event.MESSAGE).stream().map(Event::id).toList();
    }
}
