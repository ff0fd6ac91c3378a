package io.realtimehub.core;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client reconnects while its old connection (a poll or socket it has left, which the server
 * has not noticed yet) is still attached and still taking from the outbox on another thread, as
 * a container's write callback does. Whatever the old one takes, the new one gets its welcome and
 * everything after its since.
 */
class ReplacedConnectionTest {
    private final TestRelay relay = new TestRelay();
    private final Hub hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? "node-1" : null), relay,
            new HubMetrics(), new MutableClock());

    @Test
    void theReplacedConnectionTakesNeitherTheWelcomeNorTheRefill() throws Exception {
        hub.start();
        for (int round = 0; round < 300; round++) {
            String client = "c" + round;
            var old = new RecordingConnection();
            old.session = hub.connect(new ConnectRequest(client, "websocket", List.of("map"), null, true), old);
            old.wake();
            String since = publish(1).get(0);
            old.wake(); // the client saw everything up to since, then left
            var stop = new AtomicBoolean();
            var taken = new ArrayList<Event>();
            Thread drainer = new Thread(() -> { // the old connection's write callback, still running
                while (!stop.get()) {
                    taken.addAll(old.session.drain(old, 1 << 20));
                }
            });
            drainer.start();
            List<String> missed = publish(3);
            var fresh = new RecordingConnection();
            fresh.session = hub.connect(new ConnectRequest(client, "websocket", List.of("map"), since, true), fresh);
            stop.set(true);
            drainer.join();
            fresh.wake();
            assertEquals(1, fresh.ofType(Event.WELCOME).size(), "round " + round + ": the new connection's welcome");
            assertEquals(missed, fresh.messageIds(), "round " + round + ": what came after since");
            assertTrue(taken.stream().noneMatch(e -> Event.WELCOME.equals(e.type())),
                    "round " + round + ": the old connection took the new one's welcome");
        }
    }

    private List<String> publish(int count) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(hub.publish("pub", "pub-" + ids.size() + "-" + System.nanoTime(), "map", JsonValue.TRUE).id());
        }
        relay.flush();
        return ids;
    }
}
