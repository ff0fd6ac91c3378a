package io.realtimehub.relay;

import io.realtimehub.core.Event;
import io.realtimehub.core.Relay;
import jakarta.json.Json;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A measurement, not a test: what order two hub nodes see when each is attached to a different
 * live broker of a symmetric Artemis cluster (two embedded brokers, static cluster connection,
 * ON_DEMAND load balancing, the hub's address settings). Both nodes publish on a few channels at
 * once; per channel, the probe compares the order each node received and counts losses and
 * repeats. {@code scripts/bench artemis-cluster-order} runs it; the result is in docs/BENCHMARKS.md.
 *
 * <p>Arguments: events per node and channel (default 500), channels (4), first port (61850), and
 * {@code single} to attach both nodes to the same broker (the control).
 */
public final class ClusterOrderProbe {
    private ClusterOrderProbe() {
    }

    public static void main(String[] args) throws Exception {
        int perChannel = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 61850;
        boolean single = args.length > 3 && args[3].equals("single"); // the control: both nodes on b1
        Logger.getLogger("org.apache.activemq").setLevel(Level.WARNING);
        Path dir = Files.createTempDirectory("hub-cluster-order");
        EmbeddedActiveMQ one = broker("b1", dir.resolve("b1"), port, port + 1);
        EmbeddedActiveMQ two = broker("b2", dir.resolve("b2"), port + 1, port);
        Thread.sleep(3000); // the cluster bridges form
        var recorders = List.of(new Recorder(), new Recorder());
        var relays = List.of(
                new ArtemisRelay("tcp://127.0.0.1:" + port, null, null, new RelayOptions("hub.events", "a", true, 600_000)),
                new ArtemisRelay("tcp://127.0.0.1:" + (single ? port : port + 1), null, null, new RelayOptions("hub.events", "b", true, 600_000)));
        for (int i = 0; i < 2; i++) {
            relays.get(i).start(recorders.get(i));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(relays.get(0).isUp() && relays.get(1).isUp()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<Thread> publishers = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            Relay relay = relays.get(n);
            String node = n == 0 ? "a" : "b";
            Thread t = new Thread(() -> {
                // Pipelined, as a node sends when many clients publish at once: up to 64 sends unconfirmed.
                var inFlight = new java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Void>>();
                for (int i = 0; i < perChannel; i++) {
                    for (int c = 0; c < channels; c++) {
                        inFlight.add(relay.send(Event.message(node + "-" + c + "-" + i, "ch" + c, node,
                                System.currentTimeMillis(), Json.createValue(i))).toCompletableFuture());
                        if (inFlight.size() >= 64) {
                            inFlight.poll().join();
                        }
                    }
                }
                inFlight.forEach(java.util.concurrent.CompletableFuture::join);
            });
            publishers.add(t);
            t.start();
        }
        for (Thread t : publishers) {
            t.join();
        }
        int expected = 2 * perChannel * channels;
        deadline = System.currentTimeMillis() + 30_000;
        while (recorders.stream().anyMatch(r -> r.ids.size() < expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000); // late repeats
        System.out.printf("symmetric cluster of 2 live brokers, node a on b1, node b on %s, %d channels x %d events"
                + " per node and channel (%d in all), up to 64 sends in flight per node%n",
                single ? "b1 too" : "b2", channels, perChannel, expected);
        for (int c = 0; c < channels; c++) {
            List<String> a = recorders.get(0).of("ch" + c);
            List<String> b = recorders.get(1).of("ch" + c);
            System.out.printf("ch%d: node a got %d (%d distinct), node b got %d (%d distinct), same order: %s,"
                            + " first difference at %d%n", c, a.size(), new HashSet<>(a).size(), b.size(),
                    new HashSet<>(b).size(), a.equals(b), firstDifference(a, b));
        }
        relays.forEach(Relay::stop);
        one.stop();
        two.stop();
        System.exit(0);
    }

    private static int firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
    }

    private static EmbeddedActiveMQ broker(String name, Path dir, int port, int otherPort) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName(name)
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false)
                .setClusterUser("cluster")
                .setClusterPassword("cluster")
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                .addConnectorConfiguration("self", "tcp://127.0.0.1:" + port)
                .addConnectorConfiguration("other", "tcp://127.0.0.1:" + otherPort)
                .addClusterConfiguration(new ClusterConnectionConfiguration()
                        .setName("hub-cluster")
                        .setConnectorName("self")
                        .setStaticConnectors(List.of("other"))
                        .setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
                        .setRetryInterval(500));
        config.addAddressSetting("hub.#", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setAutoDeleteCreatedQueues(true)
                .setAutoDeleteQueuesDelay(600_000)
                .setAutoDeleteQueuesMessageCount(-1L)
                .setDefaultGroupBuckets(4096));
        config.setBrokerInstance(dir.toFile());
        var broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return broker;
    }

    /** Channel events in arrival order, per channel. */
    private static final class Recorder implements Relay.Listener {
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final Map<String, List<String>> byChannel = new ConcurrentHashMap<>();

        @Override
        public void onEvent(Event event) {
            if (event.isChannelEvent()) {
                ids.add(event.id());
                byChannel.computeIfAbsent(event.channel(), c -> new CopyOnWriteArrayList<>()).add(event.id());
            }
        }

        List<String> of(String channel) {
            return byChannel.getOrDefault(channel, List.of());
        }
    }
}
