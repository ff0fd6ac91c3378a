package io.realtimehub.core;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is on each channel, cluster-wide. Built from the join/leave events the relay delivers
 * (so every node holds the same picture) and from the rosters nodes send each other when one
 * joins late. Members are kept by client id, so that {@link #page} can walk a large channel.
 */
public final class Presence {
    /** One client on a channel. */
    public record Member(String client, String transport, String node) {
    }

    /** A client on a channel, as a node lists its own in a roster. */
    record Membership(String channel, String client, String transport) {
    }

    /**
     * What a join or leave changed. {@code visible}: someone joined or left (a move to another
     * node, or a repeat, is not); {@code largest}: the member count before or after, whichever is
     * larger (what the member cap is judged by).
     */
    record Change(boolean visible, int largest) {
        static final Change NONE = new Change(false, 0);
    }

    /** One page of a channel's members, by client id; {@code next} is null on the last page. */
    public record Page(int count, List<Member> members, String next) {
    }

    private final Map<String, NavigableMap<String, Member>> channels = new ConcurrentHashMap<>();

    /** Applies a join or leave event. A leave from a node the client has left already changes nothing. */
    Change apply(Event event) {
        String client = event.presenceField("client");
        String node = event.presenceField("node");
        if (client == null) {
            return Change.NONE;
        }
        NavigableMap<String, Member> members = channel(event.channel());
        synchronized (members) {
            int before = members.size();
            if (Event.JOIN.equals(event.type())) {
                Member previous = members.put(client, new Member(client, event.presenceField("transport"), node));
                return previous == null ? new Change(true, before + 1) : Change.NONE;
            }
            Member member = members.get(client);
            if (member != null && (node == null || node.equals(member.node()))) {
                members.remove(client);
                return new Change(true, before);
            }
            return Change.NONE;
        }
    }

    /** Replaces everything known of {@code node}'s clients with its roster. */
    void applyRoster(String node, JsonValue members) {
        removeNode(node);
        if (!(members instanceof jakarta.json.JsonArray array)) {
            return;
        }
        for (JsonValue value : array) {
            if (value instanceof JsonObject m && m.get("channel") instanceof JsonString channel
                    && m.get("client") instanceof JsonString client && m.get("transport") instanceof JsonString transport) {
                NavigableMap<String, Member> map = channel(channel.getString());
                synchronized (map) {
                    map.putIfAbsent(client.getString(), new Member(client.getString(), transport.getString(), node));
                }
            }
        }
    }

    private NavigableMap<String, Member> channel(String name) {
        return channels.computeIfAbsent(name, c -> new TreeMap<>());
    }

    private void removeNode(String node) {
        for (Map<String, Member> members : channels.values()) {
            synchronized (members) {
                members.values().removeIf(m -> node.equals(m.node()));
            }
        }
    }

    /** Every (channel, member) held by {@code node}. */
    List<Map.Entry<String, Member>> ofNode(String node) {
        var found = new ArrayList<Map.Entry<String, Member>>();
        channels.forEach((channel, members) -> {
            synchronized (members) {
                members.values().stream().filter(m -> node.equals(m.node()))
                        .forEach(m -> found.add(Map.entry(channel, m)));
            }
        });
        return found;
    }

    int count(String channel) {
        NavigableMap<String, Member> members = channels.get(channel);
        if (members == null) {
            return 0;
        }
        synchronized (members) {
            return members.size();
        }
    }

    /** Up to {@code limit} members whose client id sorts after {@code after} (null: from the first). */
    Page page(String channel, String after, int limit) {
        NavigableMap<String, Member> members = channels.get(channel);
        if (members == null) {
            return new Page(0, List.of(), null);
        }
        synchronized (members) {
            var found = new ArrayList<Member>(Math.min(limit, members.size()));
            for (Member member : (after == null ? members : members.tailMap(after, false)).values()) {
                if (found.size() == limit) {
                    return new Page(members.size(), found, found.get(found.size() - 1).client());
                }
                found.add(member);
            }
            return new Page(members.size(), found, null);
        }
    }

    List<Member> members(String channel) {
        return page(channel, null, Integer.MAX_VALUE).members();
    }
}
