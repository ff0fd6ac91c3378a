package io.realtimehub.wildfly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A WildFly server.log read after a run: its WARN and ERROR lines that no allowlist entry explains. */
public final class ServerLog {
    private static final Pattern LEVEL = Pattern.compile("^\\S+ \\S+ (WARN|ERROR) +\\[");

    /**
     * Undertow's own ERROR for a client that went away (README "WildFly"; reproduced without the hub by
     * src/test/wildfly/ut005088/run.sh). A write or flush from a thread other than Undertow's I/O thread
     * failed (the client had gone) and the connection was closed; Undertow then completes the request on that
     * thread itself (AsyncContextImpl.handleError) and hands the stream's closeAsync() to the I/O thread,
     * which finds the connection closed: writing the bytes still in the servlet stream's buffer
     * (DetachableStreamSinkChannel.writeFinal, the exchange terminated) or, with none left, the final chunk
     * (the socket closed). Over HTTP/2 (h2c) no failed write is needed: a stream the client has reset is
     * closed, and completing it from another thread with a last write buffered fails the same way
     * (AbstractFramedStreamSinkChannel.safeToSend). It logs that at ERROR; the same exception on the I/O
     * thread goes to DEBUG (UT005013). Exactly that: this message, ClosedChannelException from one of those
     * three frames, and closeAsync run as the task handed to the I/O thread.
     */
    public static final Pattern CLIENT_GONE = Pattern.compile(
            "UT005088: Failed to execute ServletOutputStream\\.closeAsync\\(\\) on IO thread:"
                    + " java\\.nio\\.channels\\.ClosedChannelException\n"
                    + "\\s+at (?:\\S+/)?(?:io\\.undertow\\.channels\\.DetachableStreamSinkChannel\\.writeFinal"
                    + "|sun\\.nio\\.ch\\.SocketChannelImpl\\.ensureOpenAndConnected"
                    + "|io\\.undertow\\.server\\.protocol\\.framed\\.AbstractFramedStreamSinkChannel\\.safeToSend)\\(.*\n"
                    + "(?:\\s+at .*\n)*?"
                    + "\\s+at (?:\\S+/)?io\\.undertow\\.servlet\\.spec\\.ServletOutputStreamImpl\\.closeAsync\\(.*\n"
                    + "\\s+at (?:\\S+/)?io\\.undertow\\.servlet\\.spec\\.ServletOutputStreamImpl\\$1\\.run\\(");

    /**
     * WARN/ERROR lines of WildFly 37 that are not the hub's doing, each with why. Each pattern is matched
     * against the line and the stack trace that follows it (one text, lines joined by newlines); what the
     * hub's own configuration makes the server say is listed by the caller.
     */
    public static final List<Pattern> SERVER_NOISE = List.of(
            // the distribution's transactions subsystem has the default node-identifier: a server setting
            Pattern.compile("WFLYTX0013"),
            // the distribution's configuration ships no application.keystore; created on first use
            Pattern.compile("WFLYELY00023|WFLYELY01084"),
            // Undertow, for a client that went away (CLIENT_GONE)
            CLIENT_GONE);

    private ServerLog() {
    }

    /** How many WARN/ERROR entries (a line and its stack trace) of {@code log} match {@code pattern}. */
    public static long countEntries(Path log, Pattern pattern) throws IOException {
        List<String> lines = Files.readAllLines(log);
        long n = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (LEVEL.matcher(lines.get(i)).find() && pattern.matcher(entry(lines, i)).find()) {
                n++;
            }
        }
        return n;
    }

    /** The unexplained WARN/ERROR lines, each with the first lines of a stack trace that follows it. */
    public static List<String> problems(Path log, List<Pattern> allowed) throws IOException {
        return problems(Files.readAllLines(log), allowed);
    }

    static List<String> problems(List<String> lines, List<Pattern> allowed) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String entry = entry(lines, i);
            if (LEVEL.matcher(line).find() && allowed.stream().noneMatch(p -> p.matcher(entry).find())) {
                found.add(line);
                for (int j = i + 1; j < lines.size() && j <= i + 3 && !lines.get(j).matches("^\\d{4}-.*"); j++) {
                    found.add("    " + lines.get(j));
                }
            }
        }
        return found;
    }

    /** Line {@code i} and the lines up to the next dated one (its stack trace), at most 20 in all. */
    private static String entry(List<String> lines, int i) {
        var entry = new StringBuilder(lines.get(i));
        for (int j = i + 1; j < lines.size() && j < i + 20 && !lines.get(j).matches("^\\d{4}-.*"); j++) {
            entry.append('\n').append(lines.get(j));
        }
        return entry.toString();
    }
}
