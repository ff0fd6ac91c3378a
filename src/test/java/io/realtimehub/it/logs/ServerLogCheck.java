package io.realtimehub.it.logs;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Run by failsafe's it-matrix-logs execution in the verify phase, after the matrix's servers stopped
 * (pom.xml): each server's log directory ({@code it.server.logs}) holds the hub's own lifecycle lines, in
 * the container's format, and no WARN or ERROR line beyond {@link ServerLogScan#NOT_OURS}.
 */
class ServerLogCheck {

    @TestFactory
    Stream<DynamicTest> eachServerLogHasTheHubsLinesAndNoWarnings() {
        String dirs = System.getProperty("it.server.logs", "");
        if (dirs.isBlank()) {
            fail("it.server.logs names no log directory (pom.xml it-matrix-logs sets it)");
        }
        return Arrays.stream(dirs.split(",")).map(String::trim).map(Path::of)
                .map(dir -> DynamicTest.dynamicTest(dir.toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " is missing: did the server run?");
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        var findings = new ArrayList<ServerLogScan.Finding>();
        boolean started = false;
        boolean stopped = false;
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            findings.addAll(ServerLogScan.findings(log.toString(), lines, ServerLogScan.NOT_OURS));
            // the hub's own lines, through the container's logging: Jetty's format or Tomcat's, never raw JUL
            started |= lines.stream().anyMatch(l -> l.contains("realtime-hub started") && !l.startsWith("INFO: "));
            stopped |= lines.stream().anyMatch(l -> l.contains("realtime-hub stopped") && !l.startsWith("INFO: "));
        }
        assertTrue(started && stopped, dir + " has no 'realtime-hub started' and 'realtime-hub stopped' lines in the"
                + " server's format: the hub's logging does not reach the container's log");
        if (!findings.isEmpty()) {
            fail(findings.size() + " WARN/ERROR line(s) in " + dir + ":\n"
                    + String.join("\n", findings.stream().map(ServerLogScan.Finding::toString).toList()));
        }
    }
}
