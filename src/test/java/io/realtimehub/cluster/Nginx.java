package io.realtimehub.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real nginx in front of both nodes, configured from nginx/nginx.conf.template exactly as
 * {@code ./hub start} does (the same eight placeholders), with a self-signed certificate for
 * 127.0.0.1 made by openssl. Runs in the foreground ({@code daemon off}): the process is the master.
 */
final class Nginx {
    private static final List<String> PLACEHOLDERS =
            List.of("PREFIX", "NGINX_PORT", "NGINX_TLS_PORT", "NODE1", "NODE2", "WEBROOT", "TLS_CERT", "TLS_KEY");

    final int port;
    final int tlsPort;
    private final Path dir;
    private Process process;

    Nginx(Path dir, int port, int tlsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/hub/");
    }

    URI tlsUri() {
        return URI.create("https://127.0.0.1:" + tlsPort + "/hub/");
    }

    Path certificate() {
        return dir.resolve("tls/cert.pem");
    }

    void configure(TomcatNode node1, TomcatNode node2) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tls"));
        Processes.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", dir.resolve("tls/key.pem").toString(), "-out", certificate().toString()),
                dir, dir.resolve("tls/openssl.log"), Duration.ofSeconds(30));
        Map<String, String> values = Map.of(
                "PREFIX", dir.toString(),
                "NGINX_PORT", Integer.toString(port),
                "NGINX_TLS_PORT", Integer.toString(tlsPort),
                "NODE1", "127.0.0.1:" + node1.port,
                "NODE2", "127.0.0.1:" + node2.port,
                "WEBROOT", Path.of("src/main/webapp").toAbsolutePath().toString(),
                "TLS_CERT", certificate().toString(),
                "TLS_KEY", dir.resolve("tls/key.pem").toString());
        String conf = Files.readString(Path.of("nginx/nginx.conf.template"));
        for (String name : PLACEHOLDERS) {
            conf = conf.replace("${" + name + "}", values.get(name));
        }
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Processes.run(List.of("nginx", "-t", "-q", "-p", dir.toString(), "-c", "nginx.conf", "-e", errorLog()),
                dir, dir.resolve("logs/nginx.out"), Duration.ofSeconds(30));
    }

    void start() {
        for (int p : List.of(port, tlsPort)) {
            if (Processes.listening(p)) {
                throw new IllegalStateException("127.0.0.1:" + p + " is taken: another process would answer for nginx");
            }
        }
        process = Processes.start(List.of("nginx", "-p", dir.toString(), "-c", "nginx.conf", "-e", errorLog()),
                dir, dir.resolve("logs/nginx.out"), Map.of());
        Processes.await("nginx listens on " + port + " and " + tlsPort + " (log: " + errorLog() + ")",
                Duration.ofSeconds(20), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("nginx exited: " + Processes.tail(Path.of(errorLog())));
                    }
                    return Processes.listening(port) && Processes.listening(tlsPort);
                });
    }

    /**
     * {@code nginx -s reload}, as an operator does: the master starts new workers with the
     * configuration file read again, and the old ones stop accepting and finish their open
     * connections (closing what is left after worker_shutdown_timeout). Returns once new
     * workers run; the old workers, returned, may still be serving.
     */
    List<ProcessHandle> reload() {
        List<ProcessHandle> old = workers();
        Processes.run(List.of("nginx", "-s", "reload", "-p", dir.toString(), "-c", "nginx.conf", "-e", errorLog()),
                dir, dir.resolve("logs/nginx.out"), Duration.ofSeconds(30));
        Processes.await("nginx runs new workers after the reload (log: " + errorLog() + ")", Duration.ofSeconds(10),
                () -> workers().stream().filter(w -> !old.contains(w)).count() >= Math.max(1, old.size()));
        return old;
    }

    /** The master's worker processes now (old ones included while they finish after a reload). */
    List<ProcessHandle> workers() {
        return process.toHandle().children().toList(); // no cache: workers are its only children
    }

    /** SIGTERM: ends at once, where a graceful QUIT would keep open connections for worker_shutdown_timeout. */
    void stop() {
        if (process != null) {
            Processes.stop(process.toHandle(), false, Duration.ofSeconds(10));
        }
    }

    private String errorLog() {
        return dir.resolve("logs/error.log").toString();
    }
}
