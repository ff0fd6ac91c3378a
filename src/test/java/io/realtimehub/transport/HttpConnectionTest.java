package io.realtimehub.transport;

import io.realtimehub.core.ConnectRequest;
import io.realtimehub.core.Event;
import io.realtimehub.core.Hub;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.HubSettings;
import io.realtimehub.core.Relay;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP write path with the container faked ({@link FakeAsync}): what a long-poll answers, what
 * a stream writes while the client cannot take bytes, what a replaced poll leaves to its successor,
 * and what a recycled stream leaves to the next one. Events are delivered on the test's thread.
 */
class HttpConnectionTest {
    private static final StreamLimits POLL = new StreamLimits(20_000, Long.MAX_VALUE, 0);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Hub hub = new Hub(HubSettings.from(key -> switch (key) {
        case "hub.node" -> "n1";
        case "hub.presence.events" -> "false";
        case "hub.publish.rate", "hub.publish.burst" -> "1000000";
        default -> null;
    }), new DirectRelay(), new HubMetrics(), Clock.systemUTC());

    /** Delivers each event as it is sent, on the sender's thread. */
    private static final class DirectRelay implements Relay {
        private Listener listener;

        @Override
        public void start(Listener l) {
            listener = l;
        }

        @Override
        public CompletionStage<Void> send(Event event) {
            listener.onEvent(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public String describe() {
            return "direct";
        }

        @Override
        public void stop() {
        }
    }

    @BeforeEach
    void start() {
        hub.start();
    }

    @AfterEach
    void stop() {
        hub.stop(0);
        timer.shutdownNow();
    }

    private FakeAsync open(FrameFormat format, String client, String since, StreamLimits limits) throws IOException {
        var fake = new FakeAsync();
        var connection = new HttpConnection(fake.context, format, format.needsCallback() ? "cb" : null, limits,
                hub.metrics(), timer);
        var session = hub.connect(new ConnectRequest(client, format.transport(), List.of("map"), since,
                format.streaming()), connection);
        connection.start(session);
        fake.writePossible(); // what the container does once the listener is set
        return fake;
    }

    private List<String> publish(int count) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(hub.publish("p", "p", "map", Json.createValue(i)).id());
        }
        return ids;
    }

    private static void await(String what, FakeAsync fake, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what + "; body so far: " + fake.text());
    }

    private static List<JsonObject> array(String body) {
        return Json.createReader(new StringReader(body)).readArray().getValuesAs(JsonValue::asJsonObject);
    }

    private static List<String> ids(List<JsonObject> events) {
        return events.stream().filter(e -> e.getString("type").equals("message")).map(e -> e.getString("id")).toList();
    }

    private static List<String> sseIds(String body) {
        var ids = new ArrayList<String>();
        Matcher m = Pattern.compile("(?m)^id: (\\S+)$").matcher(body);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void aPollAnswersOneBatchAndTheNextPollTakesWhatQueuedInBetween() throws Exception {
        FakeAsync first = open(new PollFormat(), "c1", null, POLL);
        await("the first poll answers its welcome at once", first, () -> first.completed);
        List<JsonObject> welcome = array(first.text());
        assertEquals(1, welcome.size());
        assertEquals("welcome", welcome.get(0).getString("type"));

        List<String> queued = publish(3); // no poll attached: they wait in the session
        FakeAsync second = open(new PollFormat(), "c1", welcome.get(0).getString("since"), POLL);
        await("the second poll answers", second, () -> second.completed);
        assertEquals(queued, ids(array(second.text())), "every queued event, in order, in one answer");
        assertTrue(first.flushes > 0 && second.flushes > 0);
    }

    @Test
    void aStreamWritesNothingWhileTheClientCannotTakeBytesAndLosesNothing() throws Exception {
        FakeAsync stream = open(new SseFormat(), "c2", null, new StreamLimits(20_000, 1 << 20, 0));
        await("prelude and welcome", stream, () -> stream.text().contains("\"welcome\""));
        assertTrue(stream.text().startsWith("retry: 1000\n: hub\n\n"), stream.text());

        stream.ready = false; // the client's window is full
        int before = stream.text().length();
        List<String> ids = publish(5);
        assertEquals(before, stream.text().length(), "nothing written while not ready");

        stream.writePossible();
        assertEquals(ids, sseIds(stream.text()), "everything, once, in order, after the client caught up");
        assertEquals(1, stream.text().split("retry: 1000", -1).length - 1, "the prelude once");
        assertFalse(stream.completed);
    }

    @Test
    void aReplacedPollAnswersEmptyAndLeavesEverythingToItsSuccessor() throws Exception {
        FakeAsync first = open(new PollFormat(), "c3", null, POLL);
        await("welcome", first, () -> first.completed);
        String since = array(first.text()).get(0).getString("since");
        FakeAsync waiting = open(new PollFormat(), "c3", since, POLL);
        assertFalse(waiting.completed, "nothing to say: the poll waits");

        FakeAsync successor = open(new PollFormat(), "c3", since, POLL);
        await("the replaced poll answers", waiting, () -> waiting.completed);
        assertEquals("[]", waiting.text());
        List<String> ids = publish(2); // the waiting poll answers the first at once, the next poll takes the second
        await("the successor answers", successor, () -> successor.completed);
        List<JsonObject> answered = array(successor.text());
        assertEquals(ids.subList(0, 1), ids(answered));
        FakeAsync next = open(new PollFormat(), "c3", answered.get(0).getString("id"), POLL);
        await("the next poll answers", next, () -> next.completed);
        assertEquals(ids.subList(1, 2), ids(array(next.text())));
    }

    @Test
    void aRecycledStreamEndsBeforeItsLimitAndTheNextOnesTakeTheRest() throws Exception {
        var limits = new StreamLimits(20_000, 600, 0); // a few events' worth
        FakeAsync stream = open(new SseFormat(), "c4", null, limits);
        await("welcome", stream, () -> stream.text().contains("\"welcome\""));
        stream.ready = false;
        List<String> ids = publish(20); // queued while the client is slow: several streams' worth
        stream.writePossible();
        var got = new ArrayList<String>();
        for (FakeAsync s = stream; ; ) {
            FakeAsync current = s;
            await("the stream ends at its limit, or has the rest", current,
                    () -> current.completed || got.size() + sseIds(current.text()).size() == ids.size());
            assertTrue(current.text().length() <= 600, "over its limit: " + current.text().length() + " bytes");
            got.addAll(sseIds(current.text()));
            if (got.size() >= ids.size()) {
                break;
            }
            assertTrue(current.completed && got.size() < 20 * ids.size(), "stuck after " + got.size());
            s = open(new SseFormat(), "c4", got.isEmpty() ? null : got.get(got.size() - 1), limits);
        }
        assertEquals(ids, got, "every event exactly once, in order, across the streams");
    }

    @Test
    void nothingIsWrittenBeforeTheContainerSaysTheResponseIsWritable() throws Exception {
        var fake = new FakeAsync();
        var connection = new HttpConnection(fake.context, new SseFormat(), null,
                new StreamLimits(20_000, 1 << 20, 0), hub.metrics(), timer);
        var session = hub.connect(new ConnectRequest("c5", "sse", List.of("map"), null, true), connection);
        connection.start(session);
        List<String> ids = publish(3); // wakes while the dispatch that suspended the request is still running
        assertEquals("", fake.text(), "no write before the container's first onWritePossible");
        fake.writePossible();
        assertEquals(ids, sseIds(fake.text()));
    }

    @Test
    void wakesFromManyThreadsPumpOneAtATimeAndLoseNothing() throws Exception {
        // heartbeats every millisecond: the timer pumps too, beside the publishers and the "container"
        FakeAsync stream = open(new SseFormat(), "c6", null, new StreamLimits(60_000, 1 << 26, 1));
        await("welcome", stream, () -> stream.text().contains("\"welcome\""));
        stream.writesPerWindow = 3; // the window fills every third write: many onWritePossible calls
        var ids = java.util.Collections.synchronizedList(new ArrayList<String>());
        var publishers = new ArrayList<Thread>();
        for (int t = 0; t < 3; t++) {
            var publisher = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    synchronized (ids) { // the order the hub stamps them in is the order owed
                        ids.add(hub.publish("p", "p", "map", Json.createValue(i)).id());
                    }
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((publishers.stream().anyMatch(Thread::isAlive) || sseIds(stream.text()).size() < ids.size())
                && System.nanoTime() < deadline) {
            if (!stream.ready) {
                stream.writePossible(); // the container, once the client took some bytes
            }
            Thread.onSpinWait();
        }
        assertEquals(ids, sseIds(stream.text()), "every event once, in order");
        assertEquals(0, stream.overlaps.get(), "the stream was used by two threads at once");
        assertFalse(stream.completed);
    }
}
