package io.realtimehub.core;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubTest {
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();
    private final HubMetrics metrics = new HubMetrics();
    private Hub hub;

    @BeforeEach
    void start() {
        hub = hub(key -> null);
    }

    private Hub hub(Function<String, String> settings) {
        Function<String, String> withNode = key -> key.equals("hub.node") ? "node-1" : settings.apply(key);
        var started = new Hub(HubSettings.from(withNode), relay, metrics, clock);
        started.start();
        return started;
    }

    private RecordingConnection connect(String client, String since, String... channels) {
        var connection = new RecordingConnection();
        connection.session = hub.connect(new ConnectRequest(client, "websocket", List.of(channels), since, true),
                connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    private List<String> publish(int count, String channel) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(hub.publish("pub", "pub-" + i, channel, JsonValue.TRUE).id());
        }
        relay.flush();
        return ids;
    }

    @Test
    void deliversEveryEventInRelayOrderToEverySubscriber() {
        var a = connect("a", null, "map");
        var b = connect("b", null, "map", "other");
        var ids = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            ids.add(hub.publish("a", "a", i % 2 == 0 ? "map" : "other", JsonValue.TRUE).id());
        }
        relay.flush();
        assertEquals(ids.stream().filter(id -> ids.indexOf(id) % 2 == 0).toList(), a.messageIds());
        assertEquals(ids, b.messageIds());
    }

    @Test
    void encodesEachEventOnceForAllSubscribers() {
        var a = connect("a", null, "map");
        var b = connect("b", null, "map");
        publish(1, "map");
        assertSame(a.ofType(Event.MESSAGE).get(0).json(), b.ofType(Event.MESSAGE).get(0).json());
    }

    @Test
    void welcomesEveryConnectionFirst() {
        var a = connect("a", null, "map");
        assertEquals(Event.WELCOME, a.received.get(0).type());
        assertTrue(a.received.get(0).json().contains("\"client\":\"a\""));
        assertTrue(a.received.get(0).json().contains("\"node\":\"node-1\""));
    }

    @Test
    void resumesAfterReconnectWithoutLossOrDuplicates() {
        var first = connect("a", null, "map");
        List<String> before = publish(5, "map");
        hub.session("a").detach(first, clock.millis());
        List<String> missed = publish(5, "map");
        var second = connect("a", before.get(4), "map");
        assertTrue(second.received.get(0).json().contains("\"resumed\":true"));
        assertEquals(missed, second.messageIds());
    }

    @Test
    void resumesOnANewSessionFromHistory() {
        var first = connect("a", null, "map", "other");
        List<String> before = publish(3, "map");
        hub.end(hub.session("a"), Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
        List<String> missed = new ArrayList<>(publish(2, "other"));
        missed.addAll(publish(2, "map"));
        var second = connect("a", before.get(2), "map", "other");
        assertEquals(missed, second.messageIds().subList(0, 4));
        assertFalse(first.closes.isEmpty());
    }

    @Test
    void sendsResetForAnUnknownSince() {
        publish(3, "map");
        var a = connect("a", "no-such-id", "map", "other");
        assertTrue(a.received.get(0).json().contains("\"resumed\":false"));
        assertEquals(List.of("map", "other"), a.ofType(Event.RESET).stream().map(Event::channel).toList());
        assertTrue(a.messageIds().isEmpty());
    }

    @Test
    void keepsLiveEventsForAPollerThatRepeatsASinceItWasResetFor() {
        var first = connect("a", "gone", "map");
        assertEquals(1, first.ofType(Event.RESET).size());
        hub.session("a").detach(first, clock.millis());
        List<String> live = publish(2, "map");
        var again = connect("a", "gone", "map"); // the same unknown since again
        assertEquals(0, again.ofType(Event.RESET).size());
        assertEquals(live, again.messageIds());
    }

    @Test
    void sendsResetWhenHistoryNoLongerCoversSince() {
        hub = hub(key -> switch (key) {
            case "hub.history.size" -> "5";
            case "hub.history.age" -> "0";
            default -> null;
        });
        List<String> ids = publish(20, "map");
        clock.advance(1);
        publish(1, "map");
        var a = connect("a", ids.get(0), "map");
        assertEquals(1, a.ofType(Event.RESET).size());
        var b = connect("b", ids.get(18), "map");
        assertEquals(0, b.ofType(Event.RESET).size());
        assertEquals(2, b.messageIds().size());
    }

    @Test
    void dropsASlowConsumerAndLosesNothingForTheOthers() {
        hub = hub(key -> key.equals("hub.outbox.size") ? "10" : null);
        var slow = connect("slow", null, "map");
        slow.stalled = true;
        var fast = connect("fast", null, "map");
        List<String> ids = publish(30, "map");
        assertEquals(List.of(Connection.CloseReason.SLOW_CONSUMER), slow.closes);
        assertEquals(1, metrics.slowConsumersDropped());
        assertEquals(ids, fast.messageIds());
        relay.flush();
        var leaves = fast.ofType(Event.LEAVE);
        assertEquals(1, leaves.size());
        assertEquals("slow", leaves.get(0).presenceField("client"));
        assertTrue(hub.session("slow") == null);
    }

    @Test
    void announcesJoinOnceAndLeaveExactlyOnce() {
        var watcher = connect("w", null, "map");
        var first = connect("a", null, "map");
        var again = connect("a", null, "map"); // reconnect: same session, no second join
        assertEquals(2, watcher.ofType(Event.JOIN).size());
        assertEquals(List.of(Connection.CloseReason.REPLACED), first.closes);
        hub.end(hub.session("a"), Connection.CloseReason.SESSION_ENDED, true);
        hub.end(again.session, Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
        assertEquals(1, watcher.ofType(Event.LEAVE).size());
        assertEquals(List.of("w"), hub.presence("map").stream().map(Presence.Member::client).toList());
    }

    @Test
    void evictsASessionIdlePastTheTimeout() {
        var watcher = connect("w", null, "map");
        var a = connect("a", null, "map");
        hub.session("a").detach(a, clock.millis());
        clock.advance(29_000);
        hub.sweep();
        assertTrue(hub.session("a") != null);
        clock.advance(2_000);
        hub.sweep();
        relay.flush();
        assertTrue(hub.session("a") == null);
        assertEquals(1, watcher.ofType(Event.LEAVE).size());
    }

    @Test
    void endsALocalSessionQuietlyWhenItsClientJoinsOnAnotherNode() {
        var watcher = connect("w", null, "map");
        var a = connect("a", null, "map");
        hub.onEvent(Event.presence(Event.JOIN, "x-1", "map", clock.millis(), "a", "poll", "node-2"));
        relay.flush();
        assertEquals(List.of(Connection.CloseReason.SESSION_ENDED), a.closes);
        assertEquals(0, watcher.ofType(Event.LEAVE).size());
        assertEquals("node-2", hub.presence("map").stream().filter(m -> m.client().equals("a")).findFirst()
                .orElseThrow().node());
    }

    @Test
    void refusesBadPublishesWithTheProtocolsCodes() {
        assertEquals(Rejection.Code.BAD_REQUEST,
                assertThrows(Rejection.class, () -> hub.publish("a", "a", "no spaces", JsonValue.TRUE)).code());
        assertEquals(Rejection.Code.BAD_REQUEST,
                assertThrows(Rejection.class, () -> hub.publish("bad id!", "a", "map", JsonValue.TRUE)).code());
        var big = JsonText.parse("\"" + "x".repeat(70_000) + "\"");
        assertEquals(Rejection.Code.TOO_LARGE, assertThrows(Rejection.class, () -> hub.publish("a", "a", "map", big)).code());
        relay.flush();
        relay.up = false;
        assertEquals(Rejection.Code.UNAVAILABLE,
                assertThrows(Rejection.class, () -> hub.publish("a", "a", "map", JsonValue.TRUE)).code());
        assertTrue(relay.pending().isEmpty(), "nothing was sent");
    }

    @Test
    void rateLimitsEachPublisher() {
        hub = hub(key -> switch (key) {
            case "hub.publish.rate" -> "1";
            case "hub.publish.burst" -> "3";
            default -> null;
        });
        for (int i = 0; i < 3; i++) {
            hub.publish("a", "a", "map", JsonValue.TRUE);
        }
        assertEquals(Rejection.Code.RATE_LIMITED,
                assertThrows(Rejection.class, () -> hub.publish("a", "a", "map", JsonValue.TRUE)).code());
        hub.publish("b", "b", "map", JsonValue.TRUE); // another publisher is not held back
    }

    @Test
    void tracksPresenceWithoutBroadcastingItWhenPresenceEventsAreOff() {
        hub = hub(key -> key.equals("hub.presence.events") ? "false" : null);
        var watcher = connect("w", null, "map");
        connect("a", null, "map");
        List<String> ids = publish(2, "map");
        assertEquals(List.of("a", "w"), hub.presence("map").stream().map(Presence.Member::client).sorted().toList());
        assertEquals(0, watcher.ofType(Event.JOIN).size());
        assertEquals(ids, watcher.messageIds());
        hub.end(hub.session("a"), Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
        assertEquals(List.of("w"), hub.presence("map").stream().map(Presence.Member::client).toList());
        assertEquals(0, watcher.ofType(Event.LEAVE).size());
    }

    @Test
    void forgetsIdleChannelsButStillResetsAResumeFromBeforeThem() {
        hub = hub(key -> key.equals("hub.history.age") ? "60" : null);
        connect("watcher", null, "busy"); // keeps "busy" and its history
        String since = publish(1, "busy").get(0);
        var first = connect("a", null, "once");
        publish(3, "once");
        hub.end(hub.session("a"), Connection.CloseReason.SESSION_ENDED, true);
        relay.flush();
        clock.advance(120_000);
        hub.sweep();
        assertEquals(1, hub.channelCount(), "\"once\": nobody subscribes, every event older than the history's age");
        var again = connect("b", since, "busy", "once");
        assertTrue(again.ofType(Event.RESET).stream().map(Event::channel).toList().contains("once"),
                "the forgotten events of \"once\" after since are reported, not skipped");
        assertFalse(first.closes.isEmpty());
    }

    @Test
    void limitsChannelsPerClient() {
        hub = hub(key -> key.equals("hub.channels.max") ? "2" : null);
        var a = connect("a", null, "one", "two");
        assertEquals(Rejection.Code.BAD_REQUEST,
                assertThrows(Rejection.class, () -> hub.subscribe(a.session, "three")).code());
    }
}
