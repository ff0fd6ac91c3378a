package io.realtimehub.transport.websocket;

/**
 * What the WAR does differently per servlet container, in one place (README, "Deploying into your
 * estate", lists each with its equivalent or its absence elsewhere). Decided once at start from
 * {@code ServletContext.getServerInfo()}.
 *
 * @param hideHandshakeHeaderNames hand the upgrade a handshake whose header names are hidden
 *        ({@link HandshakeHeaders}). Tomcat copies every listed header into a request it keeps for the
 *        connection's life and reads the ones it needs by name. Jetty builds its upgrade request from the
 *        listed names, so on Jetty a hidden Upgrade header means no upgrade at all (404)
 */
public record ContainerTuning(String server, boolean hideHandshakeHeaderNames) {

    /** The tuning for the container whose {@code getServerInfo()} is {@code serverInfo}. */
    public static ContainerTuning of(String serverInfo) {
        String server = serverInfo == null ? "unknown" : serverInfo;
        return new ContainerTuning(server, server.startsWith("Apache Tomcat/"));
    }
}
