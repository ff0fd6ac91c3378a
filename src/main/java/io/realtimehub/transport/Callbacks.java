package io.realtimehub.transport;

import io.realtimehub.core.Rejection;

import java.util.regex.Pattern;

/** JSONP and IFrame callback names: a dotted JavaScript identifier path, nothing else (PROTOCOL.md). */
public final class Callbacks {
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z_$][A-Za-z0-9_$]{0,63}(\\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}");

    private Callbacks() {
    }

    public static String require(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Rejection.badRequest("callback must be a JavaScript name such as parent.onEvent");
        }
        return name;
    }
}
