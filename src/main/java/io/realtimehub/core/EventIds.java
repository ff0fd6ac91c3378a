package io.realtimehub.core;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ids unique in the cluster: a per-node counter (started from the clock, so a restarted
 * node does not repeat itself) and a random tag for this node's run. Ids are opaque to clients.
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final AtomicLong counter;
    private final String suffix;

    EventIds(long nowMillis) {
        counter = new AtomicLong(nowMillis * 1000);
        suffix = "-" + random(4);
    }

    String next() {
        String hex = Long.toHexString(counter.incrementAndGet());
        return "0".repeat(Math.max(0, 14 - hex.length())) + hex + suffix;
    }

    /** Whether this node made {@code id} (during this run). */
    boolean isOwn(String id) {
        return id != null && id.endsWith(suffix);
    }

    public static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
