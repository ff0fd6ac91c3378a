package io.realtimehub.wildfly;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run by failsafe (execution wildfly-log) after the ITs on WildFly, once the managed server has stopped:
 * its server.log, start to shutdown, holds no WARN or ERROR line but the server's own
 * ({@link ServerLog#SERVER_NOISE}: start-up noise, and Undertow's UT005088 for clients that went away, exactly
 * {@link ServerLog#CLIENT_GONE}, counted in the output). Anything the WAR causes (WFLYEE0007 from a listener
 * class, an Artemis warning about the relay's factory, a UT005088 with another exception or stack) fails the build.
 */
class WildFlyServerLogCheck {
    @Test
    void theServerLogHasNoWarningOrErrorCausedByTheWar() throws IOException {
        Path log = Path.of(System.getProperty("it.wildfly.log", "target/it-wildfly/node-1/log/server.log"));
        assertTrue(Files.isRegularFile(log), log + " is missing: did the ITs on WildFly run?");
        assertTrue(Files.readString(log).contains("WFLYSRV0025"), log + " shows no WildFly start (WFLYSRV0025)");
        System.out.println("Undertow's UT005088 for clients that went away (allowed): "
                + ServerLog.countEntries(log, ServerLog.CLIENT_GONE) + " in " + log);
        List<String> problems = ServerLog.problems(log, ServerLog.SERVER_NOISE);
        assertTrue(problems.isEmpty(), "WARN/ERROR lines in " + log + ":\n" + String.join("\n", problems));
    }
}
