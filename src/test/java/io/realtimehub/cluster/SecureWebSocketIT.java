package io.realtimehub.cluster;

import io.realtimehub.it.support.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** wss:// through nginx's TLS port, trusting exactly the cluster's self-signed certificate. */
class SecureWebSocketIT extends ClusterItBase {

    @Test
    void webSocketOverTlsPublishesAndReceivesAcrossNodes() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cluster.nginx)).build();
        URI tls = cluster.nginx.tlsUri();
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(tls.resolve("health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());

        String channel = uniqueChannel();
        String origin = "https://127.0.0.1:" + cluster.nginx.tlsPort; // the page's own origin
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocket ws = https.newWebSocketBuilder().header("Origin", origin)
                .buildAsync(URI.create("wss://127.0.0.1:" + cluster.nginx.tlsPort + "/hub/ws?channels=" + channel),
                        new Collector(frames))
                .get(10, TimeUnit.SECONDS);
        try {
            JsonObject welcome = next(frames, e -> "welcome".equals(e.getString("type")));
            ws.sendText("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"tls\":true},\"ref\":\"r1\"}", true);
            String id = next(frames, e -> "ack".equals(e.getString("type"))).getString("id");
            next(frames, e -> id.equals(e.getString("id", null)));

            // Published on the other node over plain HTTP, received over TLS.
            String other = "node-1".equals(welcome.getString("node")) ? "node-2" : "node-1";
            String crossing = publish(cluster.node(other).uri(), "pub-tls", channel, "{\"from\":\"" + other + "\"}");
            next(frames, e -> crossing.equals(e.getString("id", null)));
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** An SSLContext whose only trust anchor is the certificate nginx serves. */
    private static SSLContext trusting(Nginx nginx) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(nginx.certificate())) {
            trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static JsonObject next(BlockingQueue<JsonObject> frames, Predicate<JsonObject> match) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonObject frame = frames.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(frame, "no matching frame over wss within " + WAIT);
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    /** Collects every text frame as a JSON object. */
    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<JsonObject> frames;
        private final StringBuilder partial = new StringBuilder();

        Collector(BlockingQueue<JsonObject> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
            partial.append(text);
            if (last) {
                frames.add(Json.object(partial.toString()));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
