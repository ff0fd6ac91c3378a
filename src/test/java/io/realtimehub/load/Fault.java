package io.realtimehub.load;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A fault injected once mid-run ({@code --fault-at S --fault-cmd CMD}): {@code bash -c CMD},
 * S seconds after publishing began, on a thread of its own so publishing and delivery go on.
 * Its start time is what the subscribers measure their recovery from; in a worker process it
 * is set from the parent's {@code FAULT} line instead.
 */
final class Fault {
    /** How long the command may take (a broker restart takes ~5 s) before it is abandoned. */
    static final int COMMAND_LIMIT_SECONDS = 120;

    private volatile long startMicros = Long.MAX_VALUE;
    private volatile long publishEndMicros = Long.MAX_VALUE;
    private volatile long endMicros;
    private volatile int exitCode = Integer.MIN_VALUE;
    private volatile String output = "";
    private Thread thread;

    /** Epoch microseconds at which the fault began; {@link Long#MAX_VALUE} before (or without) one. */
    long startMicros() {
        return startMicros;
    }

    void startedAt(long micros) {
        startMicros = micros;
    }

    /** When publishing ends (planned): a silence after it is the end of the run, not the fault's. */
    long publishEndMicros() {
        return publishEndMicros;
    }

    void publishingEndsAt(long micros) {
        publishEndMicros = micros;
    }

    boolean happened() {
        return startMicros != Long.MAX_VALUE;
    }

    double durationSeconds() {
        return happened() && endMicros > 0 ? (endMicros - startMicros) / 1e6 : 0;
    }

    int exitCode() {
        return exitCode;
    }

    String output() {
        return output;
    }

    /** Runs {@code command} at {@code dueNanos} (System.nanoTime) on a daemon thread; {@code onStart} first. */
    void schedule(String command, long dueNanos, java.io.PrintWriter log, Runnable onStart) {
        thread = new Thread(() -> {
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            startMicros = Clocks.micros();
            onStart.run();
            log.println("load: fault: " + command);
            try {
                // output to a file: a daemon the command starts (a broker, a node) may keep a pipe open
                Path file = Files.createTempFile("load-fault", ".log");
                Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                        .redirectOutput(file.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                boolean done = p.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                endMicros = Clocks.micros();
                byte[] bytes = Files.readAllBytes(file);
                Files.deleteIfExists(file);
                output = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).trim();
                exitCode = done ? p.exitValue() : -1;
            } catch (IOException | InterruptedException e) {
                endMicros = Clocks.micros();
                output = e.toString();
                exitCode = -1;
            }
            log.printf("load: fault done in %.1f s (exit %d): %s%n", durationSeconds(), exitCode,
                    output.replace('\n', ' '));
        }, "load-fault");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the command to finish (it may outlast publishing, e.g. a slow broker start). */
    void await(long millis) throws InterruptedException {
        if (thread != null) {
            thread.join(millis);
        }
    }
}
