package io.realtimehub.relay;

import io.realtimehub.core.Event;
import io.realtimehub.core.Rejection;
import io.realtimehub.core.Relay;
import jakarta.json.Json;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Two relays ("nodes") on one topic of an embedded broker that the tests stop and restart. */
class ArtemisRelayTest {
    private static final Logger QUIET_BROKER = Logger.getLogger("org.apache.activemq");
    private static final Duration UP_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;
    private int port;
    private EmbeddedActiveMQ broker;
    private final List<Relay> relays = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void quietBroker() {
        QUIET_BROKER.setLevel(Level.WARNING); // the broker's INFO lines drown the relay's
    }

    @BeforeEach
    void startBroker() throws Exception {
        port = freePort();
        startBrokerAgain();
    }

    @AfterEach
    void stopEverything() throws Exception {
        relays.forEach(Relay::stop);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        stopBroker();
    }

    @Test
    void everyNodeReceivesEveryEventInTheSameOrder() throws Exception {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        ArtemisRelay nodeOne = start(relay(), one);
        ArtemisRelay nodeTwo = start(relay(), two);
        waitFor("both relays up", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());

        int threadsPerNode = 4;
        int perThread = 250;
        ExecutorService publishers = Executors.newFixedThreadPool(2 * threadsPerNode);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerNode; t++) {
            ArtemisRelay node = t % 2 == 0 ? nodeOne : nodeTwo;
            String sender = "s" + t;
            sent.add(publishers.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    sent(node, event(sender + "-" + i, sender, i));
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        go.countDown();
        for (Future<?> f : sent) {
            f.get(20, TimeUnit.SECONDS);
        }
        publishers.shutdown();
        int total = 2 * threadsPerNode * perThread;
        waitFor("every event on both nodes", Duration.ofSeconds(10),
                () -> one.ids.size() >= total && two.ids.size() >= total);
        System.out.printf("relayed %d events to 2 nodes in %d ms%n", total,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));

        List<String> seenByOne = List.copyOf(one.ids);
        List<String> seenByTwo = List.copyOf(two.ids);
        assertEquals(total, seenByOne.size(), "no duplicates on node one");
        assertEquals(total, new HashSet<>(seenByOne).size(), "each event once on node one");
        assertEquals(seenByOne, seenByTwo, "both nodes see one order");
        assertSendOrderKept(seenByOne);
        assertFalse(one.overlapped.get() || two.overlapped.get(), "onEvent is never called concurrently");
        var ingress = broker.getActiveMQServer().locateQueue("test.events.in");
        assertFalse(ingress.isExclusive(), "every node sequences some channels");
        assertEquals(2, ingress.getConsumerCount(), "a sequencer on each node");
        assertEquals(List.of(true), one.states, "one state change: up");
    }

    @Test
    void anotherNodeTakesOverSequencingWhenTheSequencingNodeStops() throws Exception {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        ArtemisRelay first = start(relay(), one);
        waitFor("first relay up", UP_WITHIN, first::isUp);
        ArtemisRelay second = start(relay(), two);
        waitFor("second relay up", UP_WITHIN, second::isUp);
        // The first node subscribed to the ingress queue first: it sequences until it stops.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i == 150) {
                first.stop();
            }
            sent(second, event("h-" + i, "h", i));
            sent.add("h-" + i);
        }
        waitFor("every event on the remaining node", Duration.ofSeconds(5), () -> two.ids.size() >= sent.size());
        Thread.sleep(200); // a repeat would arrive about now
        assertEquals(sent, List.copyOf(two.ids), "each accepted event once, in send order");
        assertTrue(one.ids.size() >= 100, "the first node relayed until it stopped: " + one.ids.size());
    }

    @Test
    void brokerLossFailsSendsAtOnceAndRelayingResumesWhenItReturns() throws Exception {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        ArtemisRelay nodeOne = start(relay(), one);
        ArtemisRelay nodeTwo = start(relay(), two);
        waitFor("both relays up", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());

        stopBroker();
        waitFor("relays see the broker gone", Duration.ofSeconds(3), () -> !nodeOne.isUp() && !nodeTwo.isUp());
        assertEquals(List.of(true, false), one.states);
        assertEquals(List.of(true, false), two.states);
        long before = System.nanoTime();
        Rejection rejected = refusal(nodeOne.send(event("while-down", "s", 0)));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertEquals(Rejection.Code.UNAVAILABLE, rejected.code());
        assertTrue(tookMillis < 1000, "send failed in " + tookMillis + " ms");

        long restarted = System.nanoTime();
        startBrokerAgain();
        waitFor("relays reconnected", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());
        System.out.printf("relays up again %d ms after the broker restarted%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        assertEquals(List.of(true, false, true), one.states);
        assertEquals(List.of(true, false, true), two.states);

        sent(nodeOne, event("after-restart", "s", 1));
        waitFor("event after restart on both nodes", Duration.ofSeconds(3),
                () -> one.ids.contains("after-restart") && two.ids.contains("after-restart"));
        assertFalse(one.ids.contains("while-down") || two.ids.contains("while-down"), "rejected event never relayed");
    }

    @Test
    void followsAFactoryThatReconnectsByItself() throws Exception {
        // As a factory looked up from JNDI may be configured: the client library reconnects.
        var factory = new ActiveMQConnectionFactory(brokerUrl() + "?reconnectAttempts=-1&retryInterval=200"
                + "&retryIntervalMultiplier=2.0&maxRetryInterval=1000&callFailoverTimeout=1000", null, null);
        closeables.add(factory);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        ArtemisRelay nodeOne = start(new ArtemisRelay(factory, "java:comp/env/jms/hub", options("jndi")), one);
        ArtemisRelay nodeTwo = start(relay(), two);
        waitFor("both relays up", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());

        stopBroker();
        waitFor("relay sees the broker gone", Duration.ofSeconds(3), () -> !nodeOne.isUp());
        Rejection rejected = refusal(nodeOne.send(event("while-down", "s", 0)));
        assertEquals(Rejection.Code.UNAVAILABLE, rejected.code());

        startBrokerAgain();
        waitFor("relays reconnected", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());
        assertEquals(List.of(true, false, true), one.states);
        sent(nodeTwo, event("after-restart", "s", 1));
        waitFor("event after restart on both nodes", Duration.ofSeconds(3),
                () -> one.ids.contains("after-restart") && two.ids.contains("after-restart"));
    }

    @Test
    void eachChannelKeepsOneOrderOnEveryNodeWhileBothNodesSequence() throws Exception {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        ArtemisRelay nodeOne = start(relay(), one);
        ArtemisRelay nodeTwo = start(relay(), two);
        waitFor("both relays up", UP_WITHIN, () -> nodeOne.isUp() && nodeTwo.isUp());
        List<String> channels = List.of("a", "b", "c", "d", "e", "f");
        int total = 0;
        for (int i = 0; i < 100; i++) {
            for (String channel : channels) {
                ArtemisRelay node = (i + channel.charAt(0)) % 2 == 0 ? nodeOne : nodeTwo;
                sent(node, Event.message(channel + "-" + i, channel, "p", System.currentTimeMillis(), Json.createValue(i)));
                total++;
            }
        }
        int expected = total;
        waitFor("every event on both nodes", Duration.ofSeconds(10),
                () -> one.ids.size() >= expected && two.ids.size() >= expected);
        for (String channel : channels) {
            List<String> onOne = one.ids.stream().filter(id -> id.startsWith(channel + "-")).toList();
            assertEquals(onOne, two.ids.stream().filter(id -> id.startsWith(channel + "-")).toList(),
                    "channel " + channel + " in one order on both nodes");
            assertSendOrderKept(onOne);
        }
    }

    @Test
    void aNodeThatWasAwayReceivesWhatCameMeanwhileEvenAcrossABrokerRestart() throws Exception {
        Recorder one = new Recorder();
        ArtemisRelay nodeOne = start(relay("stays"), one);
        ArtemisRelay away = start(relay("away"), new Recorder());
        waitFor("both relays up", UP_WITHIN, () -> nodeOne.isUp() && away.isUp());
        away.stop(); // its durable subscription stays on the broker
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent(nodeOne, event("w-" + i, "w", i));
            sent.add("w-" + i);
        }
        waitFor("the remaining node got them", Duration.ofSeconds(5), () -> one.ids.size() >= sent.size());
        stopBroker();
        startBrokerAgain();
        Recorder back = new Recorder();
        ArtemisRelay returned = start(relay("away"), back);
        waitFor("every accepted event reaches the returning node", Duration.ofSeconds(10),
                () -> back.ids.size() >= sent.size());
        Thread.sleep(200); // a repeat would arrive about now
        assertEquals(sent, List.copyOf(back.ids), "each accepted event once, in order");
        assertTrue(returned.isUp());
    }

    @Test
    void aMessageFromAnotherServiceIsAdmittedOrRefusedByTheHub() throws Exception {
        Recorder one = new Recorder();
        ArtemisRelay node = start(relay(), one);
        waitFor("relay up", UP_WITHIN, node::isUp);
        var factory = new ActiveMQConnectionFactory(brokerUrl(), "hub", "hub");
        closeables.add(factory);
        try (var context = factory.createContext()) {
            var ingress = context.createQueue("test.events.in");
            context.createProducer().setProperty("JMSXGroupID", "svc").send(ingress, "not json");
            context.createProducer().setProperty("JMSXGroupID", "svc").send(ingress, "{\"channel\":\"svc\",\"data\":7}");
        }
        waitFor("the admitted event arrives", Duration.ofSeconds(5), () -> one.ids.contains("admitted-1"));
        assertEquals(List.of("admitted-1"), List.copyOf(one.ids), "the refused one never arrives");
    }

    @Test
    void startAndStopReturnAtOnceWithoutABroker() throws Exception {
        stopBroker();
        Recorder recorder = new Recorder();
        ArtemisRelay relay = relay();
        long before = System.nanoTime();
        start(relay, recorder);
        assertTrue(millisSince(before) < 500, "start took " + millisSince(before) + " ms");
        Thread.sleep(300); // a connection attempt or two
        assertFalse(relay.isUp());
        assertEquals(Rejection.Code.UNAVAILABLE,
                refusal(relay.send(event("e", "s", 0))).code());
        before = System.nanoTime();
        relay.stop();
        assertTrue(millisSince(before) < 1000, "stop took " + millisSince(before) + " ms");
        assertEquals(List.of(), recorder.states, "never up, so no state change");
    }

    @Test
    void stopReturnsQuicklyAfterTheBrokerWentAway() throws Exception {
        Recorder recorder = new Recorder();
        ArtemisRelay relay = start(relay(), recorder);
        waitFor("relay up", UP_WITHIN, relay::isUp);
        stopBroker();
        waitFor("relay down", Duration.ofSeconds(3), () -> !relay.isUp());
        long before = System.nanoTime();
        relay.stop();
        assertTrue(millisSince(before) < 1000, "stop took " + millisSince(before) + " ms");
        assertEquals(Rejection.Code.UNAVAILABLE,
                refusal(relay.send(event("e", "s", 0))).code());
    }

    @Test
    void describesBrokerAndTopicWithoutCredentialsOrParameters() {
        var relay = new ArtemisRelay("tcp://127.0.0.1:61616?reconnectAttempts=-1", "hub", "secret",
                new RelayOptions(null, "n", true, 1000));
        relays.add(relay);
        assertEquals("artemis tcp://127.0.0.1:61616 topic hub.events", relay.describe());
        assertFalse(relay.isUp(), "not started");
    }

    // ---------------------------------------------------------------- helpers

    private ArtemisRelay relay() {
        return relay("node" + relays.size());
    }

    private ArtemisRelay relay(String node) {
        return new ArtemisRelay(brokerUrl(), "hub", "hub", options(node));
    }

    private static RelayOptions options(String node) {
        return new RelayOptions("test.events", node, true, 60_000);
    }

    private ArtemisRelay start(ArtemisRelay relay, Relay.Listener listener) {
        relays.add(relay);
        relay.start(listener);
        return relay;
    }

    private String brokerUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    private void startBrokerAgain() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true) // a restart keeps durable subscriptions and persistent events
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large").toString())
                .addAcceptorConfiguration("tcp", brokerUrl());
        config.setBrokerInstance(dataDir.toFile());
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
    }

    private void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    /** A free port in the range the brokers of this machine may use. */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int candidate = 61700 + (int) (ProcessHandle.current().pid() % 50); candidate < 61800; candidate++) {
            try (ServerSocket socket = new ServerSocket(candidate, 1, loopback)) {
                return candidate;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new IOException("no free port in 61700-61799");
    }

    private static Event event(String id, String from, int n) {
        return Event.message(id, "map", from, System.currentTimeMillis(), Json.createValue(n));
    }

    /** Each sender's events arrive in the order it sent them. */
    private static void assertSendOrderKept(List<String> ids) {
        Map<String, Integer> last = new HashMap<>();
        for (String id : ids) {
            String sender = id.substring(0, id.indexOf('-'));
            int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            Integer previous = last.put(sender, n);
            assertEquals(previous == null ? 0 : previous + 1, n, "order of " + sender);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Sends and waits for the relay's confirmation (fails the test if refused). */
    private static void sent(Relay relay, Event event) {
        relay.send(event).toCompletableFuture().join();
    }

    /** The rejection a refused send failed with. */
    private static Rejection refusal(java.util.concurrent.CompletionStage<Void> sent) {
        var failure = assertThrows(java.util.concurrent.CompletionException.class, () -> sent.toCompletableFuture().join());
        return assertInstanceOf(Rejection.class, failure.getCause());
    }

    /** Records what a relay hands its listener, and whether two deliveries ever overlapped. */
    private static final class Recorder implements Relay.Listener {
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicInteger admitted = new AtomicInteger();

        @Override
        public String admit(String body) {
            var o = io.realtimehub.core.JsonText.parseObject(body); // throws on bad JSON: refused
            return Event.message("admitted-" + admitted.incrementAndGet(), o.getString("channel"), null, 0,
                    o.get("data")).json();
        }

        final List<Boolean> states = new CopyOnWriteArrayList<>();
        final AtomicBoolean overlapped = new AtomicBoolean();
        private final AtomicInteger inside = new AtomicInteger();

        @Override
        public void onEvent(Event event) {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            ids.add(event.id());
            inside.decrementAndGet();
        }

        @Override
        public void onRelayState(boolean up) {
            states.add(up);
        }
    }
}
