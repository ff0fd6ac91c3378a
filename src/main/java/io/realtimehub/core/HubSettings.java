package io.realtimehub.core;

import java.net.InetAddress;
import java.util.function.Function;

/**
 * Every setting of the hub core, with its default. Built from a lookup function so the core
 * does not know where settings come from (servlet context, JNDI, system properties, environment).
 */
public record HubSettings(
        String node,
        int historySize,
        long historyAgeMillis,
        int historyLimit,
        int outboxSize,
        long sessionTimeoutMillis,
        int maxEventBytes,
        int maxChannelsPerClient,
        double publishRate,
        double publishBurst,
        String defaultChannel,
        long beatMillis,
        int missedBeats,
        boolean presenceEvents,
        PresenceSettings presence) {

    public static HubSettings defaults() {
        return from(key -> null);
    }

    /** Reads every setting through {@code lookup} (keys like {@code hub.history.size}); null means default. */
    public static HubSettings from(Function<String, String> lookup) {
        var get = new Reader(lookup);
        return new HubSettings(
                get.string("hub.node", defaultNode()),
                get.integer("hub.history.size", 1000, 1),
                get.integer("hub.history.age", 300, 0) * 1000L,
                get.integer("hub.history.limit", 50_000, 1),
                get.integer("hub.outbox.size", 1000, 1),
                get.integer("hub.session.timeout", 30, 1) * 1000L,
                get.integer("hub.event.maxBytes", 64 * 1024, 16),
                get.integer("hub.channels.max", 16, 1),
                get.decimal("hub.publish.rate", 100),
                get.decimal("hub.publish.burst", 200),
                get.string("hub.channel.default", "map"),
                get.integer("hub.cluster.beat", 2, 1) * 1000L,
                get.integer("hub.cluster.missedBeats", 3, 2),
                get.bool("hub.presence.events", true),
                PresenceSettings.from(get));
    }

    private static String defaultNode() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }

    /** Typed reads with validation: a bad value fails start-up with a message naming the key. */
    public static final class Reader {
        private final Function<String, String> lookup;

        public Reader(Function<String, String> lookup) {
            this.lookup = lookup;
        }

        public String string(String key, String fallback) {
            String value = lookup.apply(key);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        public int integer(String key, int fallback, int min) {
            String value = string(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min) {
                    throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
            }
        }

        public double decimal(String key, double fallback) {
            String value = string(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed > 0)) {
                    throw new IllegalArgumentException(key + " must be positive, was " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
            }
        }

        public boolean bool(String key, boolean fallback) {
            String value = string(key, null);
            return value == null ? fallback : Boolean.parseBoolean(value);
        }
    }
}
