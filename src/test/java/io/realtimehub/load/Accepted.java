package io.realtimehub.load;

import java.util.Base64;
import java.util.BitSet;

/**
 * The messages the hub accepted (answered 202), per channel group: what every subscriber of
 * that group is owed. A publish that failed or timed out is not owed, even if it is delivered.
 * Publishers add from their threads; the subscribers' I/O threads read a {@link #snapshot} once
 * publishing is over, and worker processes get it as text ({@link #encode}).
 */
final class Accepted {
    private final BitSet[] groups;

    Accepted(int groups) {
        this.groups = new BitSet[groups];
        for (int g = 0; g < groups; g++) {
            this.groups[g] = new BitSet();
        }
    }

    synchronized void add(int group, long sequence) {
        groups[group].set((int) sequence);
    }

    synchronized long[] snapshot(int group) {
        return groups[group].toLongArray();
    }

    /** One line per group: {@code ACCEPTED GROUP BASE64}. */
    synchronized String encode() {
        var out = new StringBuilder();
        for (int g = 0; g < groups.length; g++) {
            out.append("ACCEPTED ").append(g).append(' ')
                    .append(Base64.getEncoder().encodeToString(groups[g].toByteArray())).append('\n');
        }
        return out.toString();
    }

    /** Reads one line of {@link #encode}; false if it is not one. */
    synchronized boolean decode(String line) {
        String[] parts = line.split(" ");
        if (parts.length < 2 || !parts[0].equals("ACCEPTED")) {
            return false;
        }
        int g = Integer.parseInt(parts[1]);
        groups[g] = BitSet.valueOf(Base64.getDecoder().decode(parts.length > 2 ? parts[2] : ""));
        return true;
    }
}
