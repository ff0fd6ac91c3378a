package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.TestKeys;
import io.realtimehub.wildfly.ServerLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay on WildFly's own messaging (README "WildFly"): a WildFly 37 standalone-full node whose relay uses
 * the server's broker through java:/jms/HubConnectionFactory (set up by src/wildfly/hub-messaging.cli, as an
 * estate would), and a Tomcat node on the same broker through the acceptor that script adds. Both nodes
 * publish at once; every client on either node gets every accepted event once, all in one order. Afterwards
 * the WildFly log holds no warning of ours (AMQ212053 would mean sends acknowledged unconfirmed).
 * Failsafe execution wildfly-cluster, in the default verify: about 30 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyMessagingIT {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final int TOMCAT_PORT = 28700;
    private static final String BROKER_PASSWORD = "hub-it-broker-password";
    private static final Path DIR = Path.of(System.getProperty("it.wildfly.cluster.dir", "target/it-wildfly/cluster"));
    private static final Path WAR = Path.of(System.getProperty("hub.war", "target/hub.war")).toAbsolutePath();

    static WildFlyNode wildfly;
    static TomcatNode tomcat;
    private final List<HubClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        wildfly = new WildFlyNode(Path.of(System.getProperty("it.wildfly.home", "target/wildfly-37.0.1.Final")).toAbsolutePath(),
                DIR.resolve("wildfly").toAbsolutePath(), List.of("-Dhub.node=wf-1", "-Dhub.secret=" + TestKeys.SECRET,
                "-Dhub.stats.interval=0", "-Dhub.relay.user=hub", "-Dhub.relay.password=" + BROKER_PASSWORD));
        wildfly.layout();
        wildfly.addUser("hub", BROKER_PASSWORD, "hub");
        wildfly.start("standalone-full.xml");
        wildfly.cli("cli-settings.log", "--file=" + Path.of("src/wildfly/hub-messaging.cli").toAbsolutePath());
        wildfly.cli("cli-deploy.log", "--command=deploy " + WAR + " --name=hub.war");
        wildfly.awaitHealthy();

        tomcat = new TomcatNode("tc-2", TOMCAT_PORT,
                Path.of(System.getProperty("it.tomcat.home", "target/apache-tomcat-10.1.59")).toAbsolutePath(),
                DIR.resolve("tc-2").toAbsolutePath(), WAR, List.of("-Xmx256m", "-Dhub.node=tc-2", "-Dhub.stats.interval=0",
                "-Dhub.relay.url=tcp://127.0.0.1:" + WildFlyNode.ARTEMIS_PORT,
                "-Dhub.relay.user=hub", "-Dhub.relay.password=" + BROKER_PASSWORD));
        tomcat.layout();
        tomcat.start();
        tomcat.awaitDeployed();
        Processes.await("tc-2's relay is UP", WAIT, () -> tomcat.healthStatus() == 200);
    }

    @AfterAll
    static void stop() {
        if (tomcat != null) {
            tomcat.stop();
        }
        if (wildfly != null) {
            wildfly.stop();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HubClient::close);
        clients.clear();
    }

    @Test
    @Order(1)
    void bothNodesDeliverEveryEventOfEitherInOneOrder() throws Exception {
        String channel = "wf-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        List<HubClient> subscribers = new ArrayList<>();
        for (String transport : HubClient.TRANSPORTS) {
            subscribers.add(open(transport, wildfly.uri(), channel));
            subscribers.add(open(transport, tomcat.uri(), channel));
        }
        Thread.sleep(500); // the subscriptions are in place on both nodes before the first publish

        int perNode = 20;
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        var pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (URI node : List.of(wildfly.uri(), tomcat.uri())) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        accepted.add(ClusterItBase.publish(node, "pub-" + node.getPort(), channel, "{\"n\":" + i + "}"));
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        ClusterItBase.assertOneOrder(subscribers, channel, accepted, 2 * perNode);
    }

    @Test
    @Order(2) // after the publishing: Artemis would warn (AMQ212053) at the sends
    void theWildFlyNodeRelaysThroughTheServersOwnFactoryAndLogsNoWarningOfOurs() throws Exception {
        Http.Response health = Http.get(wildfly.uri().resolve("health"));
        assertEquals(200, health.status(), health.toString());
        assertTrue(wildfly.logHas("relay connected to artemis java:/jms/HubConnectionFactory"),
                "the relay uses the server's factory, not a broker URL of its own");
        List<String> problems = ServerLog.problems(wildfly.serverLog(), ServerLog.SERVER_NOISE);
        assertTrue(problems.isEmpty(), "WARN/ERROR lines in " + wildfly.serverLog() + ":\n" + String.join("\n", problems));
        assertTrue(Files.readString(wildfly.serverLog()).contains("WFLYSRV0010: Deployed \"hub.war\""));
    }

    private HubClient open(String transport, URI base, String channel) throws InterruptedException {
        HubClient c = HubClient.open(transport, base, transport + "-" + base.getPort(), channel, null);
        clients.add(c);
        c.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
        return c;
    }
}
