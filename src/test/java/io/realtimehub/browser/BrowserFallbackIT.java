package io.realtimehub.browser;

import io.realtimehub.it.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code auto} behind a proxy that refuses WebSocket upgrades (as some corporate proxies and
 * misconfigured load balancers do): a real nginx on a free loopback port in front of the IT Tomcat,
 * answering the handshake on /hub/ws with 403 and proxying everything else. The page must end up
 * open on another transport, and work there.
 */
class BrowserFallbackIT extends BrowserItBase {
    static final String NGINX = System.getProperty("browser.nginx", "/usr/sbin/nginx");

    private Process nginx;
    private Path nginxDir;

    @AfterEach
    void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // TERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void autoFallsBackWhenAProxyRefusesWebSocket() throws Exception {
        URI proxied = startNginx();
        Browser page = browser(0);
        page.open(proxied, "transport", "auto", "name", "behind a proxy");
        Map<String, Object> state = page.awaitOpen();
        assertNotEquals("websocket", state.get("transport"));
        // The next in hub.js's auto order.
        assertEquals("sse", state.get("transport"));
        assertEquals("sse", page.text("#transport"));
        // WebSocket was really tried, and refused by the proxy.
        String access = Files.readString(nginxDir.resolve("access.log"));
        assertTrue(access.lines().anyMatch(l -> l.contains("GET /hub/ws?") && l.contains("\" 403 ")), access);
        // It works there: its own position made the round trip through the proxy (POST /publish,
        // then back over the stream), and it shows up for a page that talks to Tomcat directly.
        String id = (String) state.get("id");
        page.moveTo(51.52, 46.045);
        page.awaitParticipant(id, "shown at its position", p -> "51.52".equals(p.get("lat")));
        Browser direct = browser(1);
        direct.open(baseUri(), "transport", "websocket", "name", "direct");
        direct.awaitOpen();
        page.moveTo(51.521, 46.046);
        Map<String, String> seen = direct.awaitParticipant(id, "at its new position", p -> "51.521".equals(p.get("lat")));
        assertEquals("sse", seen.get("transport"));
        assertEquals("behind a proxy", seen.get("name"));
    }

    private URI startNginx() throws IOException, InterruptedException {
        nginxDir = Files.createDirectories(Path.of("target", "browser-nginx").toAbsolutePath());
        int port = freePort();
        String conf = """
                daemon off;
                worker_processes 1;
                pid DIR/nginx.pid;
                error_log DIR/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log DIR/access.log;
                    client_body_temp_path DIR/client_body_temp;
                    proxy_temp_path DIR/proxy_temp;
                    fastcgi_temp_path DIR/fastcgi_temp;
                    uwsgi_temp_path DIR/uwsgi_temp;
                    scgi_temp_path DIR/scgi_temp;
                    server {
                        listen 127.0.0.1:PORT;
                        # A proxy that will not carry WebSockets: the handshake gets a plain 403.
                        location = /hub/ws { return 403; }
                        location /hub/ {
                            proxy_pass http://127.0.0.1:UPSTREAM;
                            proxy_http_version 1.1;
                            proxy_set_header Host $http_host;
                            proxy_set_header Connection "";
                            proxy_buffering off;      # streams and long-polls go out as written
                            proxy_read_timeout 60s;
                        }
                    }
                }
                """.replace("DIR", nginxDir.toString()).replace("UPSTREAM", String.valueOf(base.getPort()))
                .replace("PORT", String.valueOf(port));
        Path confFile = Files.writeString(nginxDir.resolve("nginx.conf"), conf);
        Files.deleteIfExists(nginxDir.resolve("access.log"));
        nginx = new ProcessBuilder(NGINX, "-p", nginxDir.toString(), "-c", confFile.toString(),
                "-e", nginxDir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("nginx.out").toFile()).start();
        URI proxied = URI.create("http://127.0.0.1:" + port + "/hub/");
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(nginxDir.resolve("nginx.out"))
                        + Files.readString(nginxDir.resolve("error.log")));
            }
            try {
                if (Http.get(proxied.resolve("health")).status() == 200) {
                    return proxied;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("nginx did not proxy /hub/health within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
