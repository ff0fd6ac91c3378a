package io.realtimehub.it.clients;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;

/** JSON parsing for tests. */
public final class Parse {
    private Parse() {
    }

    public static JsonValue value(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    public static JsonObject object(String json) {
        return value(json).asJsonObject();
    }

    public static JsonArray array(String json) {
        return value(json).asJsonArray();
    }
}
