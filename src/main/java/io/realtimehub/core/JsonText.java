package io.realtimehub.core;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Map;

/**
 * JSON text in and out. Output always escapes {@code < > &} and U+2028/U+2029, so the same
 * encoded event is valid JSON for WebSocket and SSE and also safe inside a {@code <script>}
 * (JSONP, IFrame): we encode once per node and never per transport.
 */
public final class JsonText {
    /** Looked up once: the ServiceLoader lookup behind Json.createReader is slow. */
    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Parses one JSON value; throws {@link Rejection} (bad_request) on anything malformed. */
    public static JsonValue parse(String text) {
        try (var parser = PROVIDER.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw Rejection.badRequest("empty JSON");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw Rejection.badRequest("trailing characters after JSON");
            }
            return value;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw Rejection.badRequest("malformed JSON");
        }
    }

    public static JsonObject parseObject(String text) {
        if (parse(text) instanceof JsonObject object) {
            return object;
        }
        throw Rejection.badRequest("expected a JSON object");
    }

    public static jakarta.json.JsonObjectBuilder objectBuilder() {
        return PROVIDER.createObjectBuilder();
    }

    public static String encode(JsonValue value) {
        var out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    public static void write(StringBuilder out, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> entry : ((JsonObject) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, entry.getKey());
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonValue item : (JsonArray) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, item);
                }
                out.append(']');
            }
            case STRING -> string(out, ((JsonString) value).getString());
            case NUMBER -> out.append(((JsonNumber) value).bigDecimalValue().toString());
            default -> out.append(value.toString()); // true, false, null
        }
    }

    /** Appends {@code s} as a JSON string literal, script-safe. */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    public static String quote(String s) {
        var out = new StringBuilder(s.length() + 2);
        string(out, s);
        return out.toString();
    }
}
