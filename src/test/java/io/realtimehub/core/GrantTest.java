package io.realtimehub.core;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a {@link Grant} allows is enforced by the hub: channels, publishing, and the credential's expiry. */
class GrantTest {
    private final TestRelay relay = new TestRelay();
    private final MutableClock clock = new MutableClock();
    private Hub hub;

    @BeforeEach
    void start() {
        hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? "node-1" : null), relay, new HubMetrics(), clock);
        hub.start();
    }

    private static Grant grant(String client, String subscribe, String publish, long expiresAt) {
        return new Grant(client, null, ChannelRule.of(ChannelRule.parse(subscribe), client),
                ChannelRule.of(ChannelRule.parse(publish), client), expiresAt, true);
    }

    private RecordingConnection connect(Grant grant, String... channels) {
        var connection = new RecordingConnection();
        connection.session = hub.connect(new ConnectRequest(grant, "websocket", List.of(channels), null, true),
                connection);
        connection.wake();
        relay.flush();
        return connection;
    }

    @Test
    void channelsOutsideTheGrantAreForbidden() {
        Grant alice = grant("alice", "map,user.{sub}", "map", 0);
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class, () -> connect(alice, "map", "secret")).code());
        var connection = connect(alice, "map", "user.alice");
        ClientSession session = connection.session;
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class,
                () -> hub.subscribe(session, "user.bob")).code());
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class,
                () -> hub.publish(session.grant(), "alice", "alice", "user.alice", JsonValue.TRUE)).code());
        hub.publish(session.grant(), "alice", "alice", "map", JsonValue.TRUE);
    }

    @Test
    void theWelcomeCarriesTheResumeKeyOnlyWhenTheGrantHasOne() {
        var keyed = connect(new Grant("anon1", "k".repeat(22), ChannelRule.ALL, ChannelRule.ALL, 0, true), "map");
        assertTrue(keyed.ofType("welcome").get(0).json().contains("\"key\":\"" + "k".repeat(22) + "\""));
        var token = connect(grant("bob", "*", "*", 0), "map");
        assertTrue(!token.ofType("welcome").get(0).json().contains("\"key\""));
    }

    @Test
    void anExpiredCredentialClosesTheConnectionButKeepsTheSession() {
        long exp = clock.millis() + 5_000;
        var connection = connect(grant("carol", "*", "*", exp), "map");
        hub.sweep();
        assertTrue(connection.closes.isEmpty());
        clock.advance(5_000);
        assertEquals(Rejection.Code.UNAUTHORIZED, assertThrows(Rejection.class,
                () -> hub.publish(connection.session.grant(), "carol", "carol", "map", JsonValue.TRUE)).code());
        hub.sweep();
        assertEquals(List.of(Connection.CloseReason.EXPIRED), connection.closes);
        // the client comes back with a fresh token: the same session, nothing lost
        var again = connect(grant("carol", "*", "*", exp + 60_000), "map");
        assertSame(connection.session, again.session);
        clock.advance(10_000);
        hub.sweep();
        assertTrue(again.closes.isEmpty());
    }
}
