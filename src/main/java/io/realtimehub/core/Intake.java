package io.realtimehub.core;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;

/**
 * Checks what enters the hub, whichever way it comes: a client's publish and a message another
 * service sent to the relay's ingress are validated alike (names, data present, size) and their
 * data encoded once.
 */
final class Intake {
    /** A valid event's parts, its data encoded. */
    record Checked(String channel, String from, JsonValue data, String encoded) {
    }

    private final int maxEventBytes;

    Intake(HubSettings settings) {
        this.maxEventBytes = settings.maxEventBytes();
    }

    /** A publish of {@code data} on {@code channel} by {@code from} (may be null); throws {@link Rejection}. */
    Checked publish(String from, String channel, JsonValue data) {
        Names.channel(channel);
        if (from != null) {
            Names.clientOrNull(from);
        }
        if (data == null) {
            throw Rejection.badRequest("data is missing");
        }
        String encoded = JsonText.encode(data);
        if (encoded.length() > maxEventBytes || encoded.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
            throw Rejection.tooLarge("data is larger than " + maxEventBytes + " bytes");
        }
        return new Checked(channel, from, data, encoded);
    }

    /** An ingress message's body, {@code {"channel","data","from"?}}; throws {@link Rejection}. */
    Checked ingress(String body) {
        JsonObject o = JsonText.parseObject(body);
        return publish(text(o, "from"), text(o, "channel"), o.get("data"));
    }

    private static String text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
