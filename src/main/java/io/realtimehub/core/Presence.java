package io.realtimehub.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is on each channel, cluster-wide. Built only from the join/leave events the relay
 * delivers, so every node holds the same picture.
 */
public final class Presence {
    /** One client on a channel. */
    public record Member(String client, String transport, String node) {
    }

    private final Map<String, Map<String, Member>> channels = new ConcurrentHashMap<>();

    /** Applies a join or leave event; returns true when it changed anything. */
    boolean apply(Event event) {
        String client = event.presenceField("client");
        if (client == null) {
            return false;
        }
        if (Event.JOIN.equals(event.type())) {
            Member member = new Member(client, event.presenceField("transport"), event.presenceField("node"));
            Map<String, Member> members = channels.computeIfAbsent(event.channel(), c -> new LinkedHashMap<>());
            synchronized (members) {
                return !member.equals(members.put(client, member));
            }
        }
        Map<String, Member> members = channels.get(event.channel());
        if (members == null) {
            return false;
        }
        synchronized (members) {
            return members.remove(client) != null;
        }
    }

    /** The node a client is present on (on any channel), or null. */
    String nodeOf(String channel, String client) {
        Map<String, Member> members = channels.get(channel);
        if (members == null) {
            return null;
        }
        synchronized (members) {
            Member member = members.get(client);
            return member == null ? null : member.node();
        }
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
