package io.realtimehub.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscription cursor of protocol v2 ({@code welcome.since}, and what a client sends back as
 * {@code since}): for each channel, the id of the last event of it the client has, or nothing
 * when it has none yet. Text form: {@code CHANNEL~ID} items joined by {@code !}, e.g.
 * {@code map~0661a6959f20b3-72oo!chat~} (neither character occurs in channel names or ids).
 * Each channel keeps one order on every node, so per-channel positions resume exactly on any
 * node, whatever order its channels were interleaved in. A {@code since} without {@code ~} is a
 * plain event id (protocol v1).
 */
final class Cursor {
    static final char ITEMS = '!';
    static final char POSITION = '~';

    private Cursor() {
    }

    static boolean isCursor(String since) {
        return since.indexOf(POSITION) >= 0;
    }

    /** Channel to last event id ("" for none yet); null when {@code since} is not a well-formed cursor. */
    static Map<String, String> parse(String since) {
        var positions = new LinkedHashMap<String, String>();
        for (String item : since.split(String.valueOf(ITEMS), -1)) {
            int at = item.indexOf(POSITION);
            if (at <= 0 || item.indexOf(POSITION, at + 1) >= 0) {
                return null;
            }
            String channel = item.substring(0, at);
            String id = item.substring(at + 1);
            if (!Names.isChannel(channel) || !id.chars().allMatch(Cursor::idChar) || positions.put(channel, id) != null) {
                return null;
            }
        }
        return positions;
    }

    private static boolean idChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_';
    }

    static String format(Map<String, String> positions) {
        var out = new StringBuilder();
        positions.forEach((channel, id) -> {
            if (!out.isEmpty()) {
                out.append(ITEMS);
            }
            out.append(channel).append(POSITION).append(id == null ? "" : id);
        });
        return out.toString();
    }

    /** Whether {@code cursor} (well-formed or not) puts event {@code id} as the last one seen of some channel. */
    static boolean holds(String cursor, String id) {
        if (id == null) {
            return false;
        }
        Map<String, String> positions = parse(cursor);
        return positions != null && positions.containsValue(id);
    }
}
