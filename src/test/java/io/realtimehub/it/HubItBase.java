package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.clients.WebSocketHubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.Json;
import io.realtimehub.it.support.HubDeployment;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every IT runs as a client against the real WAR in a real managed Tomcat. Helpers here open
 * clients of any transport, publish over any transport, and close everything after each test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class HubItBase {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    @ArquillianResource
    protected URL base;

    private final List<HubClient> clients = new ArrayList<>();

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return HubDeployment.war();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HubClient::close);
        clients.clear();
    }

    protected URI baseUri() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A channel name no other test uses. */
    protected static String uniqueChannel() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static String uniqueClient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Opens a client and waits for its welcome (streams, WebSocket) or its first answer (polls). */
    protected HubClient open(String transport, String client, String channels, String since) throws InterruptedException {
        HubClient c = HubClient.open(transport, baseUri(), client, channels, since);
        clients.add(c);
        return c;
    }

    /** Opens a client and waits until its own join on {@code channel} has come back to it: it is live. */
    protected HubClient openLive(String transport, String channel) throws InterruptedException {
        HubClient c = open(transport, uniqueClient(transport), channel, null);
        c.await(e -> "join".equals(HubClient.type(e)) && c.client().equals(e.getJsonObject("data").getString("client")), WAIT);
        return c;
    }

    /** Publishes {@code data} (JSON text) on {@code channel} the way a client of {@code transport} does; returns the id. */
    protected String publish(String transport, HubClient publisher, String channel, String data) throws InterruptedException {
        switch (transport) {
            case "websocket" -> {
                String ref = "r" + UUID.randomUUID();
                ((WebSocketHubClient) publisher).send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":"
                        + data + ",\"ref\":\"" + ref + "\"}");
                JsonObject ack = publisher.await(e -> ("ack".equals(HubClient.type(e)) || "error".equals(HubClient.type(e)))
                        && ref.equals(e.getString("ref", null)), WAIT);
                assertEquals("ack", HubClient.type(ack), ack.toString());
                return ack.getString("id");
            }
            case "jsonp" -> {
                Http.Response r = Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", channel,
                        "client", publisher.client(), "key", publisher.key(), "data", data));
                assertEquals(200, r.status(), r.toString());
                String body = r.body();
                return Json.object(body.substring(3, body.length() - 2)).getString("id");
            }
            default -> {
                Http.Response r = Http.post(base, "publish", "application/json",
                        "{\"channel\":\"" + channel + "\",\"client\":\"" + publisher.client() + "\",\"key\":\""
                                + publisher.key() + "\",\"data\":" + data + "}");
                assertEquals(202, r.status(), r.toString());
                return r.json().getString("id");
            }
        }
    }

    protected static List<String> ids(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("id")).toList();
    }
}
