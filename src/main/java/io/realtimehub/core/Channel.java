package io.realtimehub.core;

import java.util.LinkedHashSet;
import java.util.Set;

/** A channel on this node: its recent history and its local subscribers. Guarded by the hub's lock. */
final class Channel {
    final String name;
    final History history;
    final Set<ClientSession> subscribers = new LinkedHashSet<>();

    Channel(String name, History history) {
        this.name = name;
        this.history = history;
    }
}
