package io.realtimehub.load;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load tool: opens N subscribers on one transport, publishes at a set rate and size, and
 * reports connect failures, deliveries/s, loss, duplicates, out-of-order deliveries and latency
 * percentiles, as a table and as JSON. Every phase has a time limit and a watchdog ends the
 * process after {@link Options#hardLimitSeconds()} whatever happens.
 *
 * <p>With {@code --fault-at S --fault-cmd CMD} it runs CMD once, S seconds into publishing (kill a
 * node, restart the broker, reload nginx), and reports how long the subscribers took to receive
 * again. Subscribers reconnect as hub.js does; a delivery counts as lost only if its publish was
 * answered 202.
 *
 * <p>Above ~15,000 subscribers (or with {@code --processes}) the subscribers live in child
 * processes ("workers", this same class with {@code --worker}), each under the per-process
 * open-file limit; this process publishes and adds up what they report on their stdout.
 * Run it with {@code scripts/load --help}.
 */
public final class LoadTool {
    private final Options options;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final List<BufferedReader> workerOutputs = new ArrayList<>();
    private final PrintWriter log;
    private final Fault fault = new Fault();
    private final Accepted accepted;

    LoadTool(Options options, Writer log) {
        this.options = options;
        this.log = new PrintWriter(log, true);
        this.accepted = new Accepted(options.groups());
    }

    public static void main(String[] args) throws Exception {
        // below nginx's keep-alive (65 s), so a publish never goes out on a connection nginx is closing
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        watchdog(options.hardLimitSeconds() + (options.worker() ? 30 : 0));
        if (options.worker()) {
            new LoadTool(options, new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8)).runWorker();
            System.exit(0);
        }
        Result result = new LoadTool(options, new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8)).run();
        System.out.println(result.table());
        System.out.println(result.json());
        if (options.json() != null) {
            Files.writeString(Path.of(options.json()), result.json() + "\n");
        }
        System.exit(0);
    }

    /** Ends the JVM if a run overstays its time limit (a hung server, a lost worker). */
    private static void watchdog(int seconds) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
                System.err.println("load: time limit of " + seconds + " s reached: exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // the run ended first
            }
        }, "load-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the whole test in this process (and its workers) and returns the result. */
    Result run() throws Exception {
        long began = System.nanoTime();
        String conditions = Conditions.describe();
        log.printf("load: %d %s subscribers on %s, channel %s%s, %.1f msg/s x %d chars for %d s, %d publisher(s), %d process(es)%n",
                options.subscribers(), options.transport().wire, options.url(), options.channel(),
                options.groups() > 1 ? " (x" + options.groups() + " groups)" : "", options.rate(), options.size(),
                options.duration(), options.publishers(), options.processes());
        if (options.processes() > 1) {
            startWorkers();
        } else {
            startLoops(0, options.subscribers());
        }
        boolean allUp = awaitConnected();
        long connectMillis = (System.nanoTime() - began) / 1_000_000;
        log.printf("load: %d live, %d failed after %.1f s%n", live.get(), failed.get(), connectMillis / 1000.0);
        String probe = options.onReady() == null ? null : runProbe(options.onReady());
        if (options.hold() > 0) {
            log.printf("load: holding %d idle connections for %d s%n", live.get(), options.hold());
            Thread.sleep(options.hold() * 1000L);
        }

        var sequence = new AtomicLong();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Publisher> publishers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<PublisherIdentity> identities = new ArrayList<>();
        String runId = Long.toHexString(System.nanoTime() & 0xffffffL);
        for (int p = 0; p < options.publishers(); p++) {
            identities.add(PublisherIdentity.ask(http, options.publishUrl(), "loadpub-" + runId + "-" + p));
        }
        if (identities.contains(null)) {
            log.println("load: some publishers got no client id from the hub: they publish anonymously");
        }
        long publishStart = System.nanoTime() + 50_000_000L;
        long publishStartMicros = Clocks.micros() + 50_000;
        fault.publishingEndsAt(publishStartMicros + options.duration() * 1_000_000L);
        if (allUp || live.get() > 0) {
            for (int p = 0; p < options.publishers(); p++) {
                var publisher = new Publisher(options, p, sequence, accepted, fault, http, identities.get(p), publishStart);
                publishers.add(publisher);
                Thread t = new Thread(publisher, "publisher-" + p);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            if (options.faultCmd() != null) {
                fault.schedule(options.faultCmd(), publishStart + (long) (options.faultAt() * 1e9), log, this::tellWorkersFault);
            }
        }
        for (Thread t : threads) {
            t.join((options.duration() + 15) * 1000L);
        }
        long publishEndMicros = Clocks.micros();
        fault.await(Fault.COMMAND_LIMIT_SECONDS * 1000L);
        long sent = publishers.stream().mapToLong(p -> p.sent).sum();
        long publishFailures = publishers.stream().mapToLong(p -> p.failed).sum();
        publishers.stream().filter(p -> p.lastFailure != null).findFirst()
                .ifPresent(p -> log.println("load: a publish failed: " + p.lastFailure));
        log.printf("load: published %d (%d failed); draining up to %d s%n", sent, publishFailures, options.drain());

        Stats stats = drainAndStop(sent);
        var roundTrip = new Histogram(60_000_000L, 3);
        publishers.forEach(p -> roundTrip.add(p.roundTrip));
        var failures = new java.util.TreeMap<String, Long>();
        publishers.forEach(p -> p.failures.forEach((k, v) -> failures.merge(k, v, Long::sum)));
        if (options.gapsCsv() != null) {
            Files.writeString(Path.of(options.gapsCsv()), stats.gapsCsv());
        }
        long sentAfterFault = publishers.stream().mapToLong(p -> p.sentAfterFault).sum();
        // how long publishing was refused after the fault (first to last refusal, any publisher)
        long firstRefused = publishers.stream().mapToLong(p -> p.firstRefusedMicros).filter(m -> m > 0).min().orElse(0);
        long lastRefused = publishers.stream().mapToLong(p -> p.lastRefusedMicros).max().orElse(0);
        long lastAccepted = publishers.stream().mapToLong(p -> p.lastAcceptedMicros).max().orElse(0);
        return new Result(options, conditions, stats, sent, sentAfterFault, publishFailures, failures, roundTrip,
                connectMillis, publishStartMicros, publishEndMicros, probe, fault,
                firstRefused == 0 ? 0 : (lastRefused - firstRefused) / 1e6, firstRefused > 0 && lastAccepted < lastRefused);
    }

    /** Workers measure recovery from the fault's start too. */
    private synchronized void tellWorkersFault() {
        for (Process worker : workers) {
            try {
                worker.getOutputStream().write(("FAULT " + fault.startMicros() + " " + fault.publishEndMicros() + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                worker.getOutputStream().flush();
            } catch (IOException e) {
                log.println("load: could not tell a worker about the fault: " + e);
            }
        }
    }

    private void startLoops(int first, int count) throws IOException {
        var remote = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        InetAddress[] sources = sourceAddresses(remote.getAddress());
        int threads = Math.max(1, Math.min(options.threads(), Math.max(1, count)));
        List<List<Integer>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            shares.get(i % threads).add(first + i);
        }
        for (int t = 0; t < threads; t++) {
            var loop = new IoLoop(options, shares.get(t), remote, sources, live, failed, fault, "io-" + t);
            loops.add(loop);
            loop.start();
        }
    }

    /** 127.0.0.x addresses to connect from when the hub is on loopback; null (the system's choice) otherwise. */
    private InetAddress[] sourceAddresses(InetAddress target) throws IOException {
        if (!target.isLoopbackAddress() || !(target instanceof java.net.Inet4Address)) {
            return null;
        }
        int count = options.sourceAddresses();
        int first = options.firstSourceAddress() + options.workerIndex() * count;
        InetAddress[] addresses = new InetAddress[count];
        for (int i = 0; i < count; i++) {
            int x = first + i;
            addresses[i] = InetAddress.getByAddress(new byte[] {127, 0, (byte) (x / 250), (byte) (1 + x % 250)});
        }
        return addresses;
    }

    private boolean awaitConnected() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + (options.connectTimeout() + 5) * 1_000_000_000L;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            readWorkerProgress();
            if (live.get() + failed.get() >= options.subscribers()) {
                return failed.get() == 0;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                log.printf("load: connecting: %d live, %d failed of %d%n", live.get(), failed.get(), options.subscribers());
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Waits until every live subscriber has every message (in this process) or the drain time is over, then stops. */
    private Stats drainAndStop(long sent) throws Exception {
        long deadline = System.nanoTime() + options.drain() * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (workers.isEmpty() && uniqueSoFar() >= sent * live.get()) {
                if (fault.happened()) {
                    // late repeats (a redelivery after a failover) must not escape the count
                    Thread.sleep(Math.min(1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
                }
                break;
            }
            Thread.sleep(50);
        }
        Stats total = new Stats(options.gapsCsv() != null);
        for (IoLoop loop : loops) {
            loop.stop(accepted);
            total.add(loop.stats);
        }
        synchronized (this) {
            for (Process worker : workers) {
                worker.getOutputStream().write((accepted.encode() + "STOP\n").getBytes(StandardCharsets.US_ASCII));
                worker.getOutputStream().flush();
            }
        }
        for (int i = 0; i < workers.size(); i++) {
            String line;
            Stats stats = null;
            while ((line = workerOutputs.get(i).readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    stats = Stats.decode(line.substring(7));
                    break;
                }
            }
            if (stats == null) {
                throw new IOException("worker " + i + " ended without a result");
            }
            total.add(stats);
            workers.get(i).waitFor(30, TimeUnit.SECONDS);
        }
        return total;
    }

    /** Racy read of counters owned by the I/O threads: only to end the drain early. */
    private long uniqueSoFar() {
        long sum = 0;
        for (IoLoop loop : loops) {
            sum += loop.stats.unique;
        }
        return sum;
    }

    private String runProbe(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!done) {
            p.destroyForcibly();
        }
        log.println("load: on-ready: " + out);
        return out;
    }

    // ---------------------------------------------------------------- worker processes

    private void startWorkers() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        int per = (int) Math.ceil(options.subscribers() / (double) options.processes());
        for (int w = 0; w < options.processes(); w++) {
            int count = Math.max(0, Math.min(per, options.subscribers() - w * per));
            List<String> command = new ArrayList<>(List.of(java, "-Xss256k", "-XX:+UseSerialGC", "-Xmx1g",
                    "-cp", classpath, LoadTool.class.getName()));
            command.addAll(withoutWorkerArgs(options.raw()));
            command.addAll(List.of("--worker", "--worker-index", String.valueOf(w), "--subscribers", String.valueOf(count),
                    "--processes", "1", "--channel", options.channel(), "--first-source-address",
                    String.valueOf(options.firstSourceAddress() + w * options.sourceAddresses()),
                    "--source-addresses", String.valueOf(options.sourceAddresses())));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            workers.add(process);
            workerOutputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }
    }

    private static List<String> withoutWorkerArgs(List<String> raw) {
        List<String> out = new ArrayList<>();
        List<String> dropped = List.of("--subscribers", "--processes", "--channel", "--json", "--gaps-csv", "--on-ready",
                "--first-source-address", "--source-addresses", "--worker-index", "--fault-at", "--fault-cmd");
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (dropped.contains(name)) {
                if (!arg.contains("=")) {
                    i++;
                }
                continue;
            }
            out.add(arg);
        }
        return out;
    }

    private final int[] workerLive = new int[64];
    private final int[] workerFailed = new int[64];

    /** Workers print {@code PROGRESS live failed} lines while connecting and {@code READY live failed} at the end. */
    private void readWorkerProgress() throws IOException {
        if (workers.isEmpty()) {
            return;
        }
        for (int i = 0; i < workers.size(); i++) {
            BufferedReader reader = workerOutputs.get(i);
            while (reader.ready()) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                String[] parts = line.split(" ");
                if ((parts[0].equals("PROGRESS") || parts[0].equals("READY")) && parts.length == 3) {
                    workerLive[i] = Integer.parseInt(parts[1]);
                    workerFailed[i] = Integer.parseInt(parts[2]);
                }
            }
        }
        int l = 0;
        int f = 0;
        for (int i = 0; i < workers.size(); i++) {
            l += workerLive[i];
            f += workerFailed[i];
        }
        live.set(l);
        failed.set(f);
    }

    /**
     * A worker: subscribers only; reports progress, then reads its stdin: {@code FAULT MICROS END} when
     * the parent injected the fault, {@code ACCEPTED ...} lines (what was owed), then {@code STOP},
     * upon which it prints its stats.
     */
    void runWorker() throws Exception {
        startLoops(0, options.subscribers());
        long deadline = System.nanoTime() + options.connectTimeout() * 1_000_000_000L;
        int reported = -1;
        while (System.nanoTime() < deadline && live.get() + failed.get() < options.subscribers()) {
            if (live.get() + failed.get() != reported) {
                reported = live.get() + failed.get();
                System.out.println("PROGRESS " + live.get() + " " + failed.get());
            }
            Thread.sleep(100);
        }
        System.out.println("READY " + live.get() + " " + failed.get());
        System.out.flush();
        var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("STOP")) {
            if (line.startsWith("FAULT ")) {
                String[] parts = line.split(" ");
                fault.publishingEndsAt(Long.parseLong(parts[2]));
                fault.startedAt(Long.parseLong(parts[1]));
            } else {
                accepted.decode(line);
            }
        }
        Stats total = new Stats(false);
        for (IoLoop loop : loops) {
            loop.stop(accepted);
            total.add(loop.stats);
        }
        System.out.println("RESULT " + total.encode());
        System.out.flush();
    }
}
