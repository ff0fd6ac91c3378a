package io.realtimehub.it.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the WARN and ERROR lines in a server log, in the formats the matrix's servers write: Jetty's
 * ({@code 2026-12-03 13:51:01.784:WARN :oejs.Server:main: ...}), Tomcat's one-line JULI format
 * ({@code 03-Dec-2026 13:51:01.784 WARNING [main] ...}) and plain JUL's second line
 * ({@code WARNING: ...}, what a JUL record looks like when it bypasses the container's logging).
 * A line matching an {@link Allowed} entry is not a finding; every allowance says why.
 */
final class ServerLogScan {
    private static final Pattern PROBLEM = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}:(WARN|ERROR)\\s*:"
                    + "|\\d\\d-\\w{3}-\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARNING|SEVERE) "
                    + "|(WARNING|SEVERE): )");
    private static final int CONTEXT_LINES = 3;

    /** A WARN/ERROR line that is not the WAR's doing, and why. */
    record Allowed(Pattern line, String why) {
        static Allowed of(String regex, String why) {
            return new Allowed(Pattern.compile(regex), why);
        }
    }

    /** A problem line (with the few lines after it, usually its stack trace), by file and line number. */
    record Finding(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + text;
        }
    }

    /**
     * Server start-up and shutdown noise that is not the WAR's (checked on Jetty 12.1.12 and Tomcat 11.0.24).
     * Anything the hub logs, or a container logs about the hub, is never in this list.
     */
    static final List<Allowed> NOT_OURS = List.of(
            Allowed.of(":WARN :oejs\\.ShutdownMonitor:main: org\\.eclipse\\.jetty\\.server\\.ShutdownMonitor"
                            + " is deprecated",
                    "Jetty 12.1 says so whenever STOP.PORT is used; the IT Jetty needs it for a graceful stop"),
            Allowed.of("WebappClassLoaderBase\\.clearReferencesThreads The web application \\[hub\\] appears to have"
                            + " started a thread named \\[Catalina-utility-\\d+\\]",
                    "Tomcat's own utility thread, caught running the context's background processing (its stack:"
                            + " StandardContext.backgroundProcess) at the moment of undeploy; seen once in a CI run"));

    private ServerLogScan() {
    }

    static List<Finding> findings(String file, List<String> lines, List<Allowed> allowed) {
        var found = new ArrayList<Finding>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!PROBLEM.matcher(line).find() || allowed.stream().anyMatch(a -> a.line().matcher(line).find())) {
                continue;
            }
            var text = new StringBuilder(line);
            for (int j = i + 1; j < Math.min(lines.size(), i + 1 + CONTEXT_LINES); j++) {
                text.append("\n    ").append(lines.get(j));
            }
            found.add(new Finding(file, i + 1, text.toString()));
        }
        return found;
    }
}
