package io.realtimehub.cluster;

import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.TestKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One hub node as {@code ./hub} runs it: a CATALINA_BASE of its own (the distribution's conf/
 * with src/tomcat/conf/server.xml filled in, the WAR as webapps/hub.war) over the shared
 * CATALINA_HOME, started with {@code catalina.sh run} (which execs java: the process is Tomcat).
 */
final class TomcatNode {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    final String name;
    final int port;
    private final Path home;
    private final Path base;
    private final Path war;
    private final List<String> jvmFlags;
    private Process process;

    TomcatNode(String name, int port, Path home, Path base, Path war, List<String> jvmFlags) {
        this.name = name;
        this.port = port;
        this.home = home;
        this.base = base;
        this.war = war;
        this.jvmFlags = jvmFlags;
    }

    /** http://127.0.0.1:PORT/hub/ */
    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/hub/");
    }

    void layout() throws IOException {
        deleteTree(base);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = base.resolve("conf").resolve(home.resolve("conf").relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        String serverXml = Files.readString(Path.of("src/tomcat/conf/server.xml"))
                .replace("@HTTP_PORT@", Integer.toString(port))
                .replace("@SHUTDOWN_PORT@", "-1") // stopped by signal, as ./hub does
                .replace("@JVM_ROUTE@", name);
        Files.writeString(base.resolve("conf/server.xml"), serverXml, StandardCharsets.UTF_8);
        Files.copy(war, base.resolve("webapps/hub.war"));
    }

    /** Starts the process; {@link #awaitDeployed} waits for it. */
    void start() {
        if (isRunning()) {
            return;
        }
        if (Processes.listening(port)) {
            throw new IllegalStateException("127.0.0.1:" + port + " is taken: another process would answer for " + name);
        }
        process = Processes.start(List.of("sh", home.resolve("bin/catalina.sh").toString(), "run"), base,
                base.resolve("logs/catalina.out"), Map.of(
                        "CATALINA_HOME", home.toString(),
                        "CATALINA_BASE", base.toString(),
                        "CATALINA_TMPDIR", base.resolve("temp").toString(),
                        // every node the same hub.secret, the tests' own: keys verify on both nodes
                        "HUB_SECRET", TestKeys.SECRET,
                        "CATALINA_OPTS", String.join(" ", jvmFlags)));
    }

    /** Waits until /hub/health answers at all (200, or 503 while the relay is down). */
    void awaitDeployed() {
        Processes.await(name + " answers /hub/health (log: " + base.resolve("logs") + ")", START_TIMEOUT, () -> {
            if (!isRunning()) {
                throw new IllegalStateException(name + " exited: " + Processes.tail(base.resolve("logs/catalina.out")));
            }
            int status = healthStatus();
            return status == 200 || status == 503;
        });
    }

    int healthStatus() {
        try {
            return Http.send(Http.request(uri().resolve("health")).timeout(Duration.ofSeconds(3)).build()).status();
        } catch (RuntimeException e) {
            return -1; // not listening yet, or gone
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM: Tomcat stops the webapp, the hub ends its connections), waits for the exit. */
    void stop() {
        if (process != null) {
            Processes.stop(process.toHandle(), false, STOP_TIMEOUT);
        }
    }

    /** SIGKILL: the node vanishes without a word to anyone, as in a crash. */
    void kill() {
        if (process != null) {
            Processes.stop(process.toHandle(), true, STOP_TIMEOUT);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
