package io.realtimehub.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Artemis broker instance the build created and started (pom.xml, antrun
 * "it-cluster-broker-start"); the build also stops it after the tests. Tests stop and start it
 * here: whichever process runs the instance is found by its command line.
 */
final class Broker {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    final int port;
    private final Path instance;

    Broker(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    boolean isRunning() {
        return Processes.find(marker()).isPresent();
    }

    /** Graceful stop (SIGTERM, as {@code artemis stop} would), until the process has exited. */
    void stop() {
        Processes.find(marker()).ifPresent(broker -> Processes.stop(broker, false, TIMEOUT));
        Processes.await("the broker's port " + port + " is closed", TIMEOUT, () -> !Processes.listening(port));
    }

    /** SIGKILL: the broker dies without writing anything more (its journal is what it had written). */
    void kill() {
        Processes.find(marker()).ifPresent(broker -> Processes.stop(broker, true, TIMEOUT));
        Processes.await("the broker's port " + port + " is closed", TIMEOUT, () -> !Processes.listening(port));
    }

    /** Starts the instance again ({@code artemis run}, logging where the build's run logs) and waits for its port. */
    void start() {
        if (isRunning()) {
            return;
        }
        // A child of this JVM, but it outlives it if need be: the build's post-integration-test stops it.
        Processes.start(List.of(instance.resolve("bin/artemis").toString(), "run"), instance,
                instance.resolve("log/console.log"), Map.of());
        Processes.await("the broker listens on " + port + " (log: " + instance.resolve("log") + ")", TIMEOUT,
                () -> Processes.listening(port));
    }

    private String marker() {
        return "-Dartemis.instance=" + instance;
    }
}
