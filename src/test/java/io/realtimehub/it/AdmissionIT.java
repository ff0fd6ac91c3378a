package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.RawHttp;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.HubDeployment;
import io.realtimehub.it.support.TestKeys;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission control on a node whose budget is 3 clients (a WAR of its own, configured by context
 * parameters, so the other ITs' node is untouched): once 3 clients are in, a new WebSocket
 * handshake and a new long-poll get 503 with Retry-After and a reason, while the 3 keep
 * receiving and publishing; the refusals are counted in /metrics; a client that leaves makes room.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdmissionIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubDeployment.plain("full.war").addAsManifestResource(new StringAsset(
                "<Context unloadDelay=\"250\">\n"
                        + "  <Parameter name=\"hub.admission.maxClients\" value=\"3\" override=\"false\" />\n"
                        + "  <Parameter name=\"hub.admission.retryAfter\" value=\"2\" override=\"false\" />\n"
                        + "  <Parameter name=\"hub.presence.events\" value=\"false\" override=\"false\" />\n"
                        + "</Context>\n"), "context.xml");
    }

    @Test
    void aFullNodeRefusesNewClientsWith503AndRetryAfterAndKeepsServingItsOwn() throws Exception {
        String channel = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        var ws = (WebSocketHubClient) HubClient.open("websocket", base.toURI(), "adm-ws", channel, null);
        HubClient poll = HubClient.open("poll", base.toURI(), "adm-poll", channel, null);
        HubClient sse = HubClient.open("sse", base.toURI(), "adm-sse", channel, null);
        try {
            for (HubClient c : List.of(ws, poll, sse)) {
                c.await(e -> "welcome".equals(HubClient.type(e)), WAIT);
            }

            String handshake = RawHttp.handshake(base, "ws?channels=" + channel + "&" + TestKeys.query("adm-new-ws"));
            assertEquals(503, RawHttp.status(handshake), handshake);
            assertTrue(handshake.contains("\r\nRetry-After: 2\r\n"), handshake);
            assertTrue(RawHttp.body(handshake).startsWith("unavailable: node is full"), handshake);
            Http.Response newPoll = Http.get(base, "poll?channels=" + channel + "&timeout=0");
            assertEquals(503, newPoll.status(), newPoll.toString());
            assertEquals("2", newPoll.header("Retry-After").orElse(null), newPoll.toString());

            // the three it holds keep receiving, and publishing (WebSocket frame, POST /publish)
            ws.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"n\":1},\"ref\":\"r1\"}");
            JsonObject ack = ws.await(e -> "r1".equals(e.getString("ref", null)), WAIT);
            assertEquals("ack", HubClient.type(ack), ack.toString());
            Http.Response posted = Http.post(base, "publish", "application/json",
                    "{\"channel\":\"" + channel + "\",\"client\":\"adm-poll\",\"key\":\"" + poll.key() + "\",\"data\":{\"n\":2}}");
            assertEquals(202, posted.status(), posted.toString());
            for (HubClient c : List.of(ws, poll, sse)) {
                List<JsonObject> got = c.awaitMessages(channel, 2, WAIT);
                assertEquals(List.of(1, 2), got.stream().map(e -> e.getJsonObject("data").getInt("n")).toList(),
                        c.transport() + " " + got);
            }

            String metrics = Http.get(base, "metrics").body();
            assertTrue(metrics.contains("hub_connections_refused_total{reason=\"clients\"} 2\n"), metrics);
            assertTrue(metrics.contains("hub_connections_refused_total{reason=\"heap\"} 0\n"), metrics);
            assertTrue(metrics.contains("hub_admission_max_clients 3\n"), metrics);

            ws.close(); // a normal close ends its session at once: room for one more
            long deadline = System.nanoTime() + WAIT.toNanos();
            String again;
            do {
                Thread.sleep(100);
                again = RawHttp.handshake(base, "ws?channels=" + channel + "&" + TestKeys.query("adm-next"));
            } while (RawHttp.status(again) != 101 && System.nanoTime() < deadline);
            assertEquals(101, RawHttp.status(again), again);
        } finally {
            ws.close();
            poll.close();
            sse.close();
        }
    }
}
