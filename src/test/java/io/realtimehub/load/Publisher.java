package io.realtimehub.load;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One publishing client: {@code POST /publish} at a fixed pace, one request at a time (so its
 * messages have one order), from its own thread. Each message's {@code data} is
 * {@code {"s":SEQ,"p":PUBLISHER,"q":SEQ_OF_PUBLISHER,"t":SENT_MICROS,"m":"xxx..."}}: the
 * subscribers measure latency from {@code t} and find losses, duplicates and reordering from
 * {@code s}, {@code p} and {@code q}. It publishes as the client id (and resume key) the hub gave
 * it ({@link PublisherIdentity}), or, without one, anonymously (rate-limited per address, not per
 * client). Only what the hub answered 202 is recorded as
 * {@link Accepted} (owed to the subscribers); other answers are counted by status or exception.
 */
final class Publisher implements Runnable {
    private final Options options;
    private final int number;
    private final AtomicLong sequence;
    private final Accepted accepted;
    private final Fault fault;
    private final HttpClient http;
    private final URI publish;
    private final String from;
    private final String text;
    private final long intervalNanos;
    private final long startNanos;
    private final long endNanos;
    final Histogram roundTrip = new Histogram(60_000_000L, 3);
    long sent;
    /** Of {@link #sent}: answered 202 after the fault began. */
    long sentAfterFault;
    long failed;
    String lastFailure;
    /** Epoch µs of the first and last publish refused after the fault began (0: none). */
    long firstRefusedMicros;
    long lastRefusedMicros;
    long lastAcceptedMicros;
    /** Failed publishes by HTTP status ("503") or exception ("HttpTimeoutException"). */
    final Map<String, Long> failures = new TreeMap<>();

    Publisher(Options options, int number, AtomicLong sequence, Accepted accepted, Fault fault, HttpClient http,
              PublisherIdentity identity, long startNanos) {
        this.fault = fault;
        this.options = options;
        this.number = number;
        this.sequence = sequence;
        this.accepted = accepted;
        this.http = http;
        this.publish = options.publishUrl().resolve("publish");
        this.from = identity == null ? "" : identity.members();
        this.text = "x".repeat(options.size());
        // each publisher sends rate/P messages per second; each message goes to every group's channel
        double perPublisher = options.rate() / options.publishers();
        this.intervalNanos = (long) (1e9 / perPublisher);
        // publishers take turns within the interval instead of all sending at once
        this.startNanos = startNanos + intervalNanos * number / options.publishers();
        this.endNanos = startNanos + options.duration() * 1_000_000_000L;
    }

    private void refused() {
        failed++;
        long now = Clocks.micros();
        if (now >= fault.startMicros()) {
            if (firstRefusedMicros == 0) {
                firstRefusedMicros = now;
            }
            lastRefusedMicros = now;
        }
    }

    @Override
    public void run() {
        int q = 0;
        for (long k = 0; ; k++) {
            long due = startNanos + k * intervalNanos;
            // a publisher behind its schedule does not catch up after the end: what it publishes
            // during the drain would be owed to subscribers that are being stopped
            if (due >= endNanos || System.nanoTime() >= endNanos) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long s = sequence.getAndIncrement();
            for (int g = 0; g < options.groups(); g++) {
                String channel = options.groups() == 1 ? options.channel() : options.channel() + "-" + g;
                // the time is taken last, just before the request goes
                String body = "{\"channel\":\"" + channel + "\"," + from + "\"data\":{\"s\":" + s
                        + ",\"p\":" + number + ",\"q\":" + q + ",\"t\":" + Clocks.micros() + ",\"m\":\"" + text + "\"}}";
                long t0 = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(publish)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.add(g, s);
                        lastAcceptedMicros = Clocks.micros();
                        if (g == 0) {
                            sent++;
                            if (Clocks.micros() >= fault.startMicros()) {
                                sentAfterFault++;
                            }
                        }
                    } else {
                        refused();
                        failures.merge(String.valueOf(response.statusCode()), 1L, Long::sum);
                        lastFailure = response.statusCode() + " " + response.body();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    refused();
                    failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                    lastFailure = e.toString();
                }
                roundTrip.recordValue(Math.min((System.nanoTime() - t0) / 1000, roundTrip.getHighestTrackableValue()));
            }
            q++;
        }
    }
}
