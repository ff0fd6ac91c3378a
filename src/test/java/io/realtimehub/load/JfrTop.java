package io.realtimehub.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording of a bench node for {@code scripts/bench profile}: the hottest frames
 * (CPU samples, by the method on top of the stack, and by the first frame of the hub's own code
 * below it), the allocation sites (by sampled weight), contended monitors and parks, and what the
 * recording's threads allocated in all. Reads the file with the JDK's own {@code jdk.jfr.consumer},
 * so it runs on JDK 17 (whose {@code jfr} tool has no {@code view}).
 *
 * <pre>java -cp target/test-classes io.realtimehub.load.JfrTop FILE.jfr [TOP [FRAME...]]</pre>
 *
 * Each FRAME (a part of a frame's name, e.g. {@code Utf8Encoder.encodeLoop}) adds a line: the share
 * of CPU samples with it anywhere on the stack, so two recordings can be compared by what they do.
 */
public final class JfrTop {
    private static final String HUB = "io.realtimehub.";

    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> hubFrame = new HashMap<>();
    private final Map<String, Long> inclusive = new HashMap<>();
    private final Map<String, Long> allocSite = new HashMap<>();
    private final Map<String, Long> allocHubSite = new HashMap<>();
    private final Map<String, Long> allocClass = new HashMap<>();
    private final Map<String, Long> monitorNanos = new HashMap<>();
    private final Map<String, Long> monitorCount = new HashMap<>();
    private final Map<String, Long> parkNanos = new HashMap<>();
    private final Map<String, Long> parkCount = new HashMap<>();
    private final Map<Long, long[]> threadAllocated = new HashMap<>(); // thread id -> {min, max}
    private final Map<String, Long> threadSamples = new HashMap<>();
    private final Map<String, Long> watched = new java.util.LinkedHashMap<>();
    private long samples;
    private long nativeSamples;
    private long allocWeight;

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop FILE.jfr [TOP]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        var summary = new JfrTop();
        for (int i = 2; i < args.length; i++) {
            summary.watched.put(args[i], 0L);
        }
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            summary.add(event);
        }
        summary.print(top);
    }

    private void add(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> sample(event.getStackTrace(), event.getThread("sampledThread"));
            case "jdk.NativeMethodSample" -> nativeSamples++;
            case "jdk.ObjectAllocationSample" -> allocation(event);
            case "jdk.JavaMonitorEnter" -> wait(event, monitorNanos, monitorCount,
                    className(event.getClass("monitorClass") == null ? null : event.getClass("monitorClass").getName()));
            case "jdk.ThreadPark" -> wait(event, parkNanos, parkCount,
                    className(event.getClass("parkedClass") == null ? null : event.getClass("parkedClass").getName()));
            case "jdk.ThreadAllocationStatistics" -> {
                long[] range = threadAllocated.computeIfAbsent(threadId(event), id -> new long[] {Long.MAX_VALUE, 0});
                long allocated = event.getLong("allocated");
                range[0] = Math.min(range[0], allocated);
                range[1] = Math.max(range[1], allocated);
            }
            default -> {
            }
        }
    }

    private static long threadId(RecordedEvent event) {
        RecordedThread thread = event.getThread("thread");
        return thread == null ? -1 : thread.getJavaThreadId();
    }

    private void sample(RecordedStackTrace stack, RecordedThread thread) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        if (thread != null) {
            threadSamples.merge(threadGroup(thread.getJavaName()), 1L, Long::sum);
        }
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(frame(frames.get(0)), 1L, Long::sum);
        String hub = firstHub(frames);
        hubFrame.merge(hub == null ? "(no hub frame: Tomcat or the JDK alone)" : hub, 1L, Long::sum);
        for (String part : watched.keySet()) {
            if (frames.stream().anyMatch(f -> frame(f).contains(part))) {
                watched.merge(part, 1L, Long::sum);
            }
        }
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            String name = frame(f);
            if (name.startsWith(HUB) && seen.add(name)) {
                inclusive.merge(name, 1L, Long::sum);
            }
        }
    }

    private void allocation(RecordedEvent event) {
        long weight = event.getLong("weight");
        allocWeight += weight;
        String type = className(event.getClass("objectClass") == null ? null : event.getClass("objectClass").getName());
        RecordedStackTrace stack = event.getStackTrace();
        List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
        String site = frames.isEmpty() ? "?" : frame(frames.get(0));
        String hub = firstHub(frames);
        allocSite.merge(type + " in " + site, weight, Long::sum);
        allocHubSite.merge(hub == null ? "(no hub frame)" : hub, weight, Long::sum);
        allocClass.merge(type, weight, Long::sum);
    }

    private static void wait(RecordedEvent event, Map<String, Long> nanos, Map<String, Long> count, String what) {
        RecordedStackTrace stack = event.getStackTrace();
        String hub = stack == null ? null : firstHub(stack.getFrames());
        if (stack != null && stack.getFrames().stream().anyMatch(f -> frame(f).endsWith(".getTask"))) {
            return; // an idle pool thread waiting for work, not a wait of the delivery path
        }
        String key = what + " at " + (hub == null ? (stack == null || stack.getFrames().isEmpty() ? "?"
                : frame(stack.getFrames().get(0))) : hub);
        nanos.merge(key, event.getDuration().toNanos(), Long::sum);
        count.merge(key, 1L, Long::sum);
    }

    private static String firstHub(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String name = frame(f);
            if (name.startsWith(HUB)) {
                return name;
            }
        }
        return null;
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod() == null ? "?" : className(f.getMethod().getType().getName()) + "." + f.getMethod().getName();
    }

    private static String className(String name) {
        return name == null ? "?" : name;
    }

    /** Thread names without their numbers: http-nio-8090-exec-12 -> http-nio-8090-exec. */
    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("-?\\d+$", "");
    }

    private void print(int top) {
        System.out.printf(Locale.ROOT, "cpu samples: %d Java (+%d in native methods)%n", samples, nativeSamples);
        table("top frames (self: method on top of the stack)", self, samples, top, "%");
        table("first hub frame on the stack (where the hub's code led to the sample)", hubFrame, samples, top, "%");
        table("hub methods on the stack (inclusive)", inclusive, samples, top, "%");
        if (!watched.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nframes anywhere on the stack (inclusive)%n");
            watched.forEach((part, n) -> System.out.printf(Locale.ROOT, "  %5.1f%% %10d  %s%n",
                    samples == 0 ? 0.0 : 100.0 * n / samples, n, part));
        }
        table("samples by thread", threadSamples, samples, 8, "%");
        table("allocation sites (sampled weight; class in top frame)", allocSite, allocWeight, top, "%");
        table("allocation by first hub frame", allocHubSite, allocWeight, top, "%");
        table("allocated classes", allocClass, allocWeight, top, "%");
        long allocated = threadAllocated.values().stream().mapToLong(r -> r[1] - r[0]).sum();
        System.out.printf(Locale.ROOT, "%nallocated by all threads during the recording: %d bytes%n", allocated);
        System.out.println("allocated_bytes=" + allocated);
        waits("contended monitors (jdk.JavaMonitorEnter)", monitorNanos, monitorCount, top);
        waits("parks (jdk.ThreadPark: locks, queues, idle pools)", parkNanos, parkCount, top);
    }

    private static void table(String title, Map<String, Long> counts, long total, int top, String unit) {
        System.out.printf(Locale.ROOT, "%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%s %10d  %s%n",
                        total == 0 ? 0.0 : 100.0 * e.getValue() / total, unit, e.getValue(), e.getKey()));
    }

    private static void waits(String title, Map<String, Long> nanos, Map<String, Long> count, int top) {
        System.out.printf(Locale.ROOT, "%n%s: %d events, %.1f ms in all%n", title,
                count.values().stream().mapToLong(Long::longValue).sum(),
                nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6);
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %10.1f ms %8d x  %s%n", e.getValue() / 1e6,
                        count.get(e.getKey()), e.getKey()));
    }
}
