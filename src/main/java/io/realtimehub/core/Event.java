package io.realtimehub.core;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An immutable event as PROTOCOL.md defines it. Its JSON is built once, when the event is made
 * (or received from the relay), and the same string and bytes go to every subscriber on the node.
 */
public final class Event {
    public static final String MESSAGE = "message";
    public static final String JOIN = "join";
    public static final String LEAVE = "leave";
    public static final String WELCOME = "welcome";
    public static final String ACK = "ack";
    public static final String PONG = "pong";
    public static final String ERROR = "error";
    public static final String RESET = "reset";
    /** A channel's member count, sent instead of each join and leave above the member cap (v2). */
    public static final String PRESENCE = "presence";
    /** Between nodes only, never sent to clients: a node's heartbeat or hello, and its list of members. */
    public static final String NODE = "node";
    public static final String ROSTER = "roster";

    private final String id;
    private final String channel;
    private final String type;
    private final String from;
    private final long ts;
    private final JsonValue data;
    private final String json;
    private volatile byte[] utf8;

    private Event(String id, String channel, String type, String from, long ts, JsonValue data, String json) {
        this.id = id;
        this.channel = channel;
        this.type = type;
        this.from = from;
        this.ts = ts;
        this.data = data;
        this.json = json;
    }

    /** A published message; {@code data} is whatever JSON the publisher sent. */
    public static Event message(String id, String channel, String from, long ts, JsonValue data) {
        return channelEvent(id, channel, MESSAGE, from, ts, data, JsonText.encode(data));
    }

    /** As {@link #message}, with {@code data} already encoded by {@link JsonText} (to check its size first). */
    static Event message(String id, String channel, String from, long ts, JsonValue data, String encodedData) {
        return channelEvent(id, channel, MESSAGE, from, ts, data, encodedData);
    }

    /** A {@code join} or {@code leave} of {@code client} on {@code channel}. */
    public static Event presence(String type, String id, String channel, long ts,
                                 String client, String transport, String node) {
        JsonObject data = JsonText.objectBuilder()
                .add("client", client).add("transport", transport).add("node", node).build();
        return channelEvent(id, channel, type, null, ts, data, JsonText.encode(data));
    }

    private static Event channelEvent(String id, String channel, String type, String from, long ts,
                                      JsonValue data, String encodedData) {
        var out = new StringBuilder(96 + encodedData.length());
        out.append("{\"id\":");
        JsonText.string(out, id);
        out.append(",\"channel\":");
        JsonText.string(out, channel);
        out.append(",\"type\":");
        JsonText.string(out, type);
        if (from != null) {
            out.append(",\"from\":");
            JsonText.string(out, from);
        }
        out.append(",\"ts\":").append(ts);
        out.append(",\"data\":").append(encodedData);
        out.append('}');
        return new Event(id, channel, type, from, ts, data, out.toString());
    }

    /**
     * {@code key}: the session's secret resume key, null when another credential proves the client;
     * {@code since}: the subscription's cursor (protocol v2), for a client that has seen no event yet.
     */
    public static Event welcome(String client, String key, String node, String transport, boolean resumed,
                                String since) {
        return control(WELCOME, null, "{\"type\":\"welcome\",\"client\":" + JsonText.quote(client)
                + (key == null ? "" : ",\"key\":" + JsonText.quote(key))
                + ",\"node\":" + JsonText.quote(node) + ",\"transport\":" + JsonText.quote(transport)
                + ",\"resumed\":" + resumed + ",\"since\":" + JsonText.quote(since) + "}");
    }

    public static Event ack(String ref, String eventId) {
        return control(ACK, null, "{\"type\":\"ack\",\"ref\":" + JsonText.quote(ref)
                + ",\"id\":" + JsonText.quote(eventId) + "}");
    }

    public static Event pong() {
        return control(PONG, null, "{\"type\":\"pong\"}");
    }

    public static Event error(Rejection.Code code, String message, String ref) {
        return control(ERROR, null, "{\"type\":\"error\",\"code\":" + JsonText.quote(code.wire)
                + ",\"message\":" + JsonText.quote(message)
                + (ref == null ? "" : ",\"ref\":" + JsonText.quote(ref)) + "}");
    }

    public static Event reset(String channel) {
        return control(RESET, channel, "{\"type\":\"reset\",\"channel\":" + JsonText.quote(channel) + "}");
    }

    /** {@code {"type":"presence","channel":"map","data":{"count":19000}}}: not part of the history. */
    static Event presenceSummary(String channel, int count) {
        return control(PRESENCE, channel, "{\"type\":\"presence\",\"channel\":" + JsonText.quote(channel)
                + ",\"data\":{\"count\":" + count + "}}");
    }

    /** A node's {@code beat} or {@code hello} (hello asks the other nodes for their rosters). */
    static Event node(String node, String kind) {
        // Built from its JSON, as received, so its fields read the same on every relay.
        return fromJson("{\"type\":\"node\",\"node\":" + JsonText.quote(node)
                + ",\"kind\":" + JsonText.quote(kind) + "}");
    }

    /** Every membership held by {@code node}: what a node that joins late needs to know. */
    static Event roster(String node, List<Presence.Membership> members) {
        var out = new StringBuilder(64 + members.size() * 64);
        out.append("{\"type\":\"roster\",\"node\":");
        JsonText.string(out, node);
        out.append(",\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            Presence.Membership member = members.get(i);
            out.append(i == 0 ? "" : ",").append("{\"channel\":");
            JsonText.string(out, member.channel());
            out.append(",\"client\":");
            JsonText.string(out, member.client());
            out.append(",\"transport\":");
            JsonText.string(out, member.transport());
            out.append('}');
        }
        return fromJson(out.append("]}").toString());
    }

    private static Event control(String type, String channel, String json) {
        return new Event(null, channel, type, null, 0, null, json);
    }

    /**
     * Rebuilds a channel event from its JSON (as received from the relay). The text is kept
     * as it came, so it is parsed once per node and never encoded again.
     */
    public static Event fromJson(String json) {
        JsonObject o = JsonText.parseObject(json);
        String id = text(o, "id");
        // A channel event keeps its data; a control event between nodes keeps the whole object.
        return new Event(id, text(o, "channel"), text(o, "type"), text(o, "from"),
                o.get("ts") instanceof JsonNumber n ? n.longValue() : 0, id != null ? o.get("data") : o, json);
    }

    private static String text(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : null;
    }

    /** True for message, join and leave: events that belong to a channel's history. */
    public boolean isChannelEvent() {
        return id != null;
    }

    /**
     * For join/leave: a field of the presence data ({@code client}, {@code transport}, {@code node});
     * for node and roster messages received from the relay: a top-level field.
     */
    public String presenceField(String name) {
        return data instanceof JsonObject o ? text(o, name) : null;
    }

    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    public String type() {
        return type;
    }

    public String from() {
        return from;
    }

    public long ts() {
        return ts;
    }

    public JsonValue data() {
        return data;
    }

    public String json() {
        return json;
    }

    /** The JSON as UTF-8, encoded on first use and shared by every subscriber. */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = json.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return json;
    }
}
