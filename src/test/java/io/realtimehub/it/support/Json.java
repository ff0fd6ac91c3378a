package io.realtimehub.it.support;

import java.io.StringReader;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/** Parses what the hub sends (events, HTTP bodies) with jakarta.json (Parsson, which comes with Yasson). */
public final class Json {

    private Json() {
    }

    public static JsonObject object(String json) {
        try (JsonReader reader = reader(json)) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON object: " + abbreviate(json), e);
        }
    }

    public static JsonArray array(String json) {
        try (JsonReader reader = reader(json)) {
            return reader.readArray();
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON array: " + abbreviate(json), e);
        }
    }

    public static JsonValue value(String json) {
        try (JsonReader reader = reader(json)) {
            return reader.readValue();
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON: " + abbreviate(json), e);
        }
    }

    /** The string member {@code name}, or null when it is absent or not a string (e.g. an event's "type"). */
    public static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof jakarta.json.JsonString s ? s.getString() : null;
    }

    private static JsonReader reader(String json) {
        if (json == null) {
            throw new AssertionError("no JSON (null)");
        }
        return jakarta.json.Json.createReader(new StringReader(json));
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
