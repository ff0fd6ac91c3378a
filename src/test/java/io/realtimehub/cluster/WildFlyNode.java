package io.realtimehub.cluster;

import io.realtimehub.it.support.Http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A WildFly server as an estate runs one (README "WildFly"): a server base dir of its own over the
 * distribution the build unpacked, started with {@code bin/standalone.sh}, configured with
 * {@code bin/jboss-cli.sh} and the WAR deployed with it. Ports: the build's scheme (pom.xml, it-wildfly-base),
 * every one in 28500-28999: offset 20500, management 8490 + 20500, txn and iiop moved.
 */
final class WildFlyNode {
    static final int OFFSET = 20500;
    static final int HTTP_PORT = 8080 + OFFSET;
    static final int MANAGEMENT_PORT = 8490 + OFFSET;
    /** The plain Artemis acceptor src/wildfly/hub-messaging.cli adds (8061 + the offset). */
    static final int ARTEMIS_PORT = 8061 + OFFSET;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final Path base;
    private final List<String> jvmFlags;
    private Process process;

    WildFlyNode(Path home, Path base, List<String> jvmFlags) {
        this.home = home;
        this.base = base;
        this.jvmFlags = jvmFlags;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + HTTP_PORT + "/hub/");
    }

    Path serverLog() {
        return base.resolve("log/server.log");
    }

    /** A fresh base dir: the distribution's configuration/ with the ports the offset cannot place moved. */
    void layout() throws IOException {
        Files.createDirectories(base);
        try (Stream<Path> old = Files.walk(base)) {
            old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).filter(p -> !p.equals(base)).forEach(p -> p.toFile().delete());
        }
        Path from = home.resolve("standalone/configuration");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = base.resolve("configuration").resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else if (file.getFileName().toString().startsWith("standalone")) {
                    Files.writeString(to, Files.readString(file).replace("port=\"4712\"", "port=\"8012\"")
                            .replace("port=\"4713\"", "port=\"8013\"").replace("port=\"3528\"", "port=\"8028\"")
                            .replace("port=\"3529\"", "port=\"8029\""));
                } else {
                    Files.copy(file, to);
                }
            }
        }
        Files.createDirectories(base.resolve("deployments"));
    }

    /** An application user (bin/add-user.sh -a), e.g. the one nodes on other containers connect to the broker as. */
    void addUser(String user, String password, String role) {
        Processes.run(List.of("sh", home.resolve("bin/add-user.sh").toString(), "-a", "-u", user, "-p", password,
                "-g", role, "-sc", base.resolve("configuration").toString(), "-s"), base, base.resolve("add-user.log"),
                CLI_TIMEOUT);
    }

    /** Starts {@code config} (e.g. standalone-full.xml) and waits until the server reports it started. */
    void start(String config) {
        for (int port : List.of(HTTP_PORT, MANAGEMENT_PORT, ARTEMIS_PORT)) {
            if (Processes.listening(port)) {
                throw new IllegalStateException("127.0.0.1:" + port + " is taken: another WildFly (or other ITs) runs");
            }
        }
        var javaOpts = new ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Djava.net.preferIPv4Stack=true", "-Djboss.modules.system.pkgs=org.jboss.byteman"));
        javaOpts.addAll(jvmFlags);
        process = Processes.start(List.of("sh", home.resolve("bin/standalone.sh").toString(), "-c", config,
                        "-Djboss.server.base.dir=" + base, "-Djboss.bind.address=127.0.0.1",
                        "-Djboss.bind.address.management=127.0.0.1", "-Djboss.socket.binding.port-offset=" + OFFSET,
                        "-Djboss.management.http.port=8490", "-Djboss.management.https.port=8493"),
                base, base.resolve("console.log"),
                // in the background of the script, which passes a TERM on to the server: stop() is graceful
                Map.of("JAVA_OPTS", String.join(" ", javaOpts), "LAUNCH_JBOSS_IN_BACKGROUND", "1",
                        "JBOSS_HOME", home.toString()));
        Processes.await("WildFly started (log: " + serverLog() + ")", START_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly exited: " + Processes.tail(base.resolve("console.log")));
            }
            return logHas("WFLYSRV0025") || logHas("WFLYSRV0026");
        });
    }

    /** bin/jboss-cli.sh connected to this server, with {@code arguments} (--file=..., --command=...). */
    void cli(String log, String... arguments) {
        var command = new ArrayList<>(List.of("sh", home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + MANAGEMENT_PORT));
        command.addAll(List.of(arguments));
        Processes.run(command, Path.of("").toAbsolutePath(), base.resolve(log), Map.of("JBOSS_HOME", home.toString()),
                CLI_TIMEOUT);
    }

    /** Waits until /hub/health answers 200 (deployed, relay UP). */
    void awaitHealthy() {
        Processes.await("WildFly's hub answers /health 200 (log: " + serverLog() + ")", START_TIMEOUT, () -> {
            try {
                return Http.send(Http.request(uri().resolve("health")).timeout(Duration.ofSeconds(3)).build()).status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    boolean logHas(String text) {
        try {
            return Files.isRegularFile(serverLog()) && Files.readString(serverLog()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Graceful stop: TERM to the server (the script passes it on), then waits. */
    void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        Processes.stop(process.toHandle(), false, Duration.ofSeconds(30));
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
