package io.realtimehub.transport.websocket;

import io.realtimehub.core.ConnectRequest;
import io.realtimehub.core.Hub;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.HubSettings;
import io.realtimehub.relay.LocalRelay;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What queues while a WebSocket send is in flight goes out as one frame holding a JSON array, in
 * order; a lone event stays a plain object (protocol v2). The container is faked: the test
 * decides when a send completes.
 */
class WebSocketBatchTest {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<SendHandler> pending = new CopyOnWriteArrayList<>();
    private final Hub hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? "n1" : null), new LocalRelay(),
            new HubMetrics(), Clock.systemUTC());

    @AfterEach
    void stop() {
        hub.stop(0);
    }

    private Session fakeSocket() {
        var remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        frames.add((String) args[0]);
                        pending.add((SendHandler) args[1]);
                    }
                    return null;
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Session.class},
                (proxy, method, args) -> method.getName().equals("getAsyncRemote") ? remote : null);
    }

    private void completeOldestSend() {
        pending.remove(0).onResult(new SendResult());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void sendsWhatQueuedDuringASendAsOneArrayFrame() throws Exception {
        hub.start();
        var connection = new WebSocketConnection(fakeSocket(), hub.metrics(), Runnable::run);
        var session = hub.connect(new ConnectRequest("c1", "websocket", List.of("map"), null, true), connection);
        connection.attached(session);
        await("the welcome is sent", () -> frames.size() == 1);
        assertTrue(frames.get(0).contains("\"type\":\"welcome\""), frames.get(0));

        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 3; i++) { // queued while the welcome's send is still in flight
            ids.add(hub.publish("p", "p", "map", Json.createValue(i)).id());
        }
        Thread.sleep(300); // the local relay delivers them to the outbox
        assertEquals(1, frames.size(), "one send in flight at a time");
        completeOldestSend();

        await("the batch is sent", () -> frames.size() == 2);
        var batch = Json.createReader(new StringReader(frames.get(1))).readValue();
        assertEquals(JsonValue.ValueType.ARRAY, batch.getValueType(), frames.get(1));
        List<String> got = batch.asJsonArray().getValuesAs(JsonValue::asJsonObject).stream()
                .filter(e -> e.getString("type").equals("message")).map(e -> e.getString("id")).toList();
        assertEquals(ids, got, "every queued message, in order, in one frame");

        completeOldestSend();
        String last = hub.publish("p", "p", "map", Json.createValue(9)).id();
        await("a lone event follows", () -> frames.size() == 3);
        assertTrue(frames.get(2).startsWith("{") && frames.get(2).contains(last), "a lone event is a plain object: " + frames.get(2));
    }

    @Test
    void aSocketAlreadyClosingGetsNoSecondCloseTask() throws Exception {
        hub.start();
        var closeTasks = new java.util.concurrent.atomic.AtomicInteger();
        var connection = new WebSocketConnection(fakeSocket(), hub.metrics(), task -> closeTasks.incrementAndGet());
        var session = hub.connect(new ConnectRequest("c1", "websocket", List.of("map"), null, true), connection);
        connection.attached(session);
        await("the welcome is sent", () -> frames.size() == 1);
        connection.closed(); // the client closed; the welcome's send is still in flight
        pending.remove(0).onResult(new SendResult(new java.io.IOException("closed")));
        assertEquals(0, closeTasks.get(), "the failed send of a closed socket queues no close");

        var other = new WebSocketConnection(fakeSocket(), hub.metrics(), task -> closeTasks.incrementAndGet());
        other.close(io.realtimehub.core.Connection.CloseReason.SLOW_CONSUMER);
        other.close(io.realtimehub.core.Connection.CloseReason.SESSION_ENDED);
        assertEquals(1, closeTasks.get(), "one close task per socket");
    }
}
