package io.realtimehub.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** The syntax of names on the wire (PROTOCOL.md): channels and client ids. */
public final class Names {
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Names() {
    }

    public static boolean isChannel(String name) {
        return name != null && CHANNEL.matcher(name).matches();
    }

    public static boolean isClient(String id) {
        return id != null && CLIENT.matcher(id).matches();
    }

    public static String channel(String name) {
        if (!isChannel(name)) {
            throw Rejection.badRequest("channel must match [A-Za-z0-9_.:-]{1,64}");
        }
        return name;
    }

    /** A client id, or null when none was given (the server assigns one). */
    public static String clientOrNull(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (!isClient(id)) {
            throw Rejection.badRequest("client must match [A-Za-z0-9_-]{1,64}");
        }
        return id;
    }

    /**
     * An event id or a cursor given back as {@code since}, or null; both are opaque, so only the
     * length is checked here (an unknown or malformed one is answered with a {@code reset}).
     */
    public static String sinceOrNull(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (id.length() > (id.indexOf('~') >= 0 ? 8192 : 128)) {
            throw Rejection.badRequest("since is not an event id or cursor");
        }
        return id;
    }

    /** Parses a comma-separated channel list; {@code fallback} when empty; at most {@code max}. */
    public static List<String> channels(String csv, String fallback, int max) {
        var result = new LinkedHashSet<String>();
        String source = csv == null || csv.isBlank() ? fallback : csv;
        for (String part : source.split(",", -1)) {
            result.add(channel(part.trim()));
        }
        if (result.size() > max) {
            throw Rejection.badRequest("at most " + max + " channels per client");
        }
        return new ArrayList<>(result);
    }
}
