package io.realtimehub.it.logs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server log check counts as a problem, and what it lets pass. */
class ServerLogScanTest {

    @Test
    void findsJettyWarningsWithTheirStackTrace() {
        var lines = List.of(
                "2026-12-03 13:51:06.758:INFO :irw.RelayFactory:main: no broker configured",
                "2026-12-03 13:52:10.001:WARN :oejut.QueuedThreadPool:qtp-42: Job failed",
                "java.lang.IllegalStateException: AsyncContext completed",
                "\tat org.eclipse.jetty.ee10.servlet.AsyncContextState.state(AsyncContextState.java:45)",
                "\tat io.realtimehub.transport.HttpConnection.schedule(HttpConnection.java:1)",
                "\tat more",
                "2026-12-03 13:52:11.000:ERROR:oejs.HttpChannel:qtp-43: boom");
        var found = ServerLogScan.findings("server.log", lines, ServerLogScan.NOT_OURS);
        assertEquals(2, found.size(), found.toString());
        assertEquals(2, found.get(0).line());
        assertTrue(found.get(0).text().contains("AsyncContext completed"), found.get(0).text());
        assertTrue(found.get(0).text().contains("HttpConnection"), found.get(0).text());
        assertEquals(7, found.get(1).line());
    }

    @Test
    void findsTomcatAndRawJulWarnings() {
        var lines = List.of(
                "03-Dec-2026 13:51:01.784 INFO [main] org.apache.catalina.startup.Catalina.start Server startup",
                "03-Dec-2026 13:51:02.000 WARNING [main] org.apache.catalina.loader.WebappClassLoaderBase leak",
                "03-Dec-2026 13:51:03.000 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal failed",
                "Dec 03, 2026 1:51:04 PM io.realtimehub.web.HubContextListener contextInitialized",
                "WARNING: realtime-hub: something");
        var found = ServerLogScan.findings("catalina.log", lines, ServerLogScan.NOT_OURS);
        assertEquals(List.of(2, 3, 5), found.stream().map(ServerLogScan.Finding::line).toList());
    }

    @Test
    void letsTheAllowedNoisePassAndNothingElse() {
        var lines = List.of(
                "2026-12-03 13:51:01.784:WARN :oejs.ShutdownMonitor:main: org.eclipse.jetty.server.ShutdownMonitor is"
                        + " deprecated, and has been replaced with org.eclipse.jetty.server.ShutdownService",
                "2026-12-03 13:51:01.785:WARN :oejs.ShutdownMonitor:main: something else",
                "03-Dec-2026 16:26:36.241 WARNING [exec-10] org.apache.catalina.loader.WebappClassLoaderBase"
                        + ".clearReferencesThreads The web application [hub] appears to have started a thread named"
                        + " [Catalina-utility-2] but has failed to stop it.",
                "03-Dec-2026 16:26:36.242 WARNING [exec-10] org.apache.catalina.loader.WebappClassLoaderBase"
                        + ".clearReferencesThreads The web application [hub] appears to have started a thread named"
                        + " [hub-timer] but has failed to stop it.");
        var found = ServerLogScan.findings("server.log", lines, ServerLogScan.NOT_OURS);
        assertEquals(List.of(2, 4), found.stream().map(ServerLogScan.Finding::line).toList());
    }
}
