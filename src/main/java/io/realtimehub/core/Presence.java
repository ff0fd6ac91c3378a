package io.realtimehub.core;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is on each channel, cluster-wide. Built from the join/leave events the relay delivers
 * (so every node holds the same picture) and from the rosters nodes send each other when one
 * joins late.
 */
public final class Presence {
    /** One client on a channel. */
    public record Member(String client, String transport, String node) {
    }

    /** A client on a channel, as a node lists its own in a roster. */
    record Membership(String channel, String client, String transport) {
    }

    private final Map<String, Map<String, Member>> channels = new ConcurrentHashMap<>();

    /** Applies a join or leave event. A leave from a node the client has left already changes nothing. */
    void apply(Event event) {
        String client = event.presenceField("client");
        String node = event.presenceField("node");
        if (client == null) {
            return;
        }
        Map<String, Member> members = channels.computeIfAbsent(event.channel(), c -> new LinkedHashMap<>());
        synchronized (members) {
            if (Event.JOIN.equals(event.type())) {
                members.put(client, new Member(client, event.presenceField("transport"), node));
            } else {
                Member member = members.get(client);
                if (member != null && (node == null || node.equals(member.node()))) {
                    members.remove(client);
                }
            }
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
                Map<String, Member> map = channels.computeIfAbsent(channel.getString(), c -> new LinkedHashMap<>());
                synchronized (map) {
                    map.putIfAbsent(client.getString(), new Member(client.getString(), transport.getString(), node));
                }
            }
        }
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

    List<Member> members(String channel) {
        Map<String, Member> members = channels.get(channel);
        if (members == null) {
            return List.of();
        }
        synchronized (members) {
            return new ArrayList<>(members.values());
        }
    }
}
