package io.realtimehub.load;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The conditions a figure was measured under: when, where, on how many cores, under what load. */
final class Conditions {
    private Conditions() {
    }

    static String describe() {
        return "date " + OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                + ", host " + host()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                + ", load average " + loadAverage()
                + ", java " + System.getProperty("java.version");
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "?" where there is none. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "?";
        }
    }
}
