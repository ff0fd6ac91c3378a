package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.TestKeys;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cluster ITs talk to nginx (as browsers do) or to one node directly (to publish "on node-1",
 * or to ask a node what it knows). Each test starts with the whole cluster up and ends with its
 * clients closed.
 */
@ExtendWith(ClusterExtension.class)
abstract class ClusterItBase {
    static final Duration WAIT = Duration.ofSeconds(15);

    protected Cluster cluster;
    private final List<HubClient> clients = new ArrayList<>();

    @BeforeEach
    void clusterUp() {
        cluster = ClusterExtension.cluster();
        cluster.ensureUp();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HubClient::close);
        clients.clear();
    }

    static String uniqueChannel() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String uniqueClient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Opens a client at {@code base} (nginx or a node) and waits for its welcome. */
    HubClient open(String transport, URI base, String client, String channel, String since) throws InterruptedException {
        HubClient c = HubClient.open(transport, base, client, channel, since);
        clients.add(c);
        c.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
        return c;
    }

    /**
     * Opens a client through nginx that nginx placed on {@code node}: nginx chooses (least
     * connections for WebSockets, a hash of the client id for the rest), so clients landing
     * elsewhere are closed and another id is tried; WebSockets landing elsewhere are kept open
     * meanwhile (so least_conn turns to {@code node} even when it still holds tunnels of earlier
     * tests) and closed at the end. Returns once
     * the client's own join is back.
     */
    HubClient openThroughNginxOn(String node, String transport, String channel) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // > nginx's fail_timeout after a restart
        var elsewhere = new java.util.ArrayList<HubClient>();
        try {
            while (true) {
                HubClient c = open(transport, cluster.nginx.uri(), uniqueClient(transport), channel, null);
                JsonObject welcome = c.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
                if (node.equals(welcome.getString("node"))) {
                    awaitOwnJoin(c, channel);
                    return c;
                }
                if (transport.equals("websocket")) {
                    elsewhere.add(c); // least_conn: keep it, so the other node fills up
                } else {
                    c.close(); // a hash of the client id: another id is what may move it
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("nginx placed no " + transport + " client on " + node + " within 20 s");
                }
            }
        } finally {
            elsewhere.forEach(HubClient::close);
        }
    }

    static void awaitOwnJoin(HubClient c, String channel) throws InterruptedException {
        c.await(e -> "join".equals(HubClient.type(e)) && channel.equals(HubClient.string(e, "channel"))
                && c.client().equals(e.getJsonObject("data").getString("client")), WAIT);
    }

    /** POST /publish at {@code base} as {@code publisher} (with its key); returns the event id (asserts 202). */
    static String publish(URI base, String publisher, String channel, String data) {
        Http.Response r = postPublish(base, publisher, channel, data);
        assertEquals(202, r.status(), "publish at " + base + ": " + r);
        return r.json().getString("id");
    }

    static Http.Response postPublish(URI base, String publisher, String channel, String data) {
        return Http.post(base.resolve("publish"), "application/json",
                "{\"channel\":\"" + channel + "\",\"client\":\"" + publisher + "\",\"key\":\"" + TestKeys.key(publisher)
                        + "\",\"data\":" + data + "}");
    }

    /** The ids of the messages {@code c} received on {@code channel}, in order. */
    /**
     * Every subscriber got {@code count} events of {@code channel}, exactly the accepted ones,
     * each once, all in one order.
     */
    static void assertOneOrder(List<HubClient> subscribers, String channel, Collection<String> accepted,
                               int count) throws InterruptedException {
        List<String> first = null;
        for (HubClient subscriber : subscribers) {
            List<String> order = subscriber.awaitMessages(channel, count, WAIT).stream()
                    .map(e -> e.getString("id")).toList();
            if (first == null) {
                first = order;
                assertEquals(Set.copyOf(accepted), Set.copyOf(order), "every accepted event, once");
            }
            assertEquals(first, order, subscriber.transport() + " client " + subscriber.client() + " saw another order");
            assertEquals(count, messageIds(subscriber, channel).size(), "no duplicates");
        }
    }

    static List<String> messageIds(HubClient c, String channel) {
        return c.messages(channel).stream().map(e -> e.getString("id")).toList();
    }
}
