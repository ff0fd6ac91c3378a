package io.realtimehub.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster under test: the build's Artemis broker, two Tomcat nodes and nginx, on the ports
 * failsafe passes (pom.xml, it.cluster.*). Started once per test run by {@link ClusterExtension},
 * stopped when the run ends. Tests may stop a node or the broker; {@link #ensureUp} brings
 * everything back before the next test.
 */
final class Cluster implements AutoCloseable {
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(30);
    static final String USER = "hub";
    static final String PASSWORD = "hub";

    final Broker broker;
    final TomcatNode node1;
    final TomcatNode node2;
    final Nginx nginx;
    private volatile boolean closed;

    private Cluster(Broker broker, TomcatNode node1, TomcatNode node2, Nginx nginx) {
        this.broker = broker;
        this.node1 = node1;
        this.node2 = node2;
        this.nginx = nginx;
    }

    static Cluster start() {
        Path dir = Path.of(property("it.cluster.dir", "target/it-cluster")).toAbsolutePath();
        Path home = Path.of(property("it.tomcat.home", "target/apache-tomcat-10.1.59")).toAbsolutePath();
        Path war = Path.of(property("hub.war", "target/hub.war")).toAbsolutePath();
        int brokerPort = Integer.parseInt(property("it.cluster.broker.port", "19616"));
        var broker = new Broker(dir.resolve("broker"), brokerPort);
        var node1 = node("node-1", port("it.cluster.node1.port", 19081), home, dir, war, brokerPort);
        var node2 = node("node-2", port("it.cluster.node2.port", 19082), home, dir, war, brokerPort);
        var nginx = new Nginx(dir.resolve("nginx"), port("it.cluster.nginx.port", 19080),
                port("it.cluster.nginx.tlsPort", 19443));
        var cluster = new Cluster(broker, node1, node2, nginx);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-stop"));
        try {
            if (!broker.isRunning()) {
                throw new IllegalStateException("no broker runs for " + dir.resolve("broker")
                        + ": the build starts it (mvn verify, antrun it-cluster-broker-start)");
            }
            node1.layout();
            node2.layout();
            nginx.configure(node1, node2);
            cluster.ensureUp();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts whatever is stopped and waits until both nodes report their relay up. */
    void ensureUp() {
        broker.start();
        node1.start();
        node2.start(); // both boot at once
        node1.awaitDeployed();
        node2.awaitDeployed();
        for (TomcatNode node : nodes()) {
            Processes.await(node.name + "'s relay is up (/hub/health 200)", HEALTHY_TIMEOUT,
                    () -> node.healthStatus() == 200);
        }
        if (!Processes.listening(nginx.port)) {
            nginx.start();
        }
    }

    List<TomcatNode> nodes() {
        return List.of(node1, node2);
    }

    TomcatNode node(String name) {
        return nodes().stream().filter(n -> n.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** Stops nginx and the nodes; the broker is the build's to stop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        nginx.stop();
        node1.stop();
        node2.stop();
    }

    private static TomcatNode node(String name, int port, Path home, Path dir, Path war, int brokerPort) {
        var flags = new ArrayList<>(List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dhub.node=" + name,
                "-Dhub.relay.url=tcp://127.0.0.1:" + brokerPort,
                "-Dhub.relay.user=" + USER,
                "-Dhub.relay.password=" + PASSWORD,
                "-Dhub.jsonp.publish=true",
                "-Dhub.session.timeout=5",
                "-Dhub.presence.grace=2", // a dropped stream leaves after 2-3 s: before the session timeout
                "-Dhub.presence.cap=1000", // the ITs await their clients' own joins (counts above the cap)
                "-Dhub.cluster.beat=1", // a killed node's clients leave after ~3 s, not ~6 s
                "-Dhub.stats.interval=0"));
        String extra = property("it.cluster.jvm.extra", "").trim();
        if (!extra.isEmpty()) {
            flags.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return new TomcatNode(name, port, home, dir.resolve(name), war, flags);
    }

    private static int port(String property, int fallback) {
        return Integer.parseInt(property(property, Integer.toString(fallback)));
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
