package io.realtimehub.transport;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which {@code Origin}s may open a WebSocket, an SSE stream or call over XHR. The default allows
 * the page's own origin (the Origin's host and port equal the request's Host) and localhost.
 * {@code *} allows every origin.
 */
public final class Origins {
    private final Set<String> allowed;
    private final boolean any;

    /** @param csv comma-separated origins such as {@code https://app.example.com}, or {@code *}; null for the default */
    public Origins(String csv) {
        this.allowed = csv == null ? Set.of() : Stream.of(csv.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Origins::normalize)
                .collect(Collectors.toUnmodifiableSet());
        this.any = allowed.contains("*");
    }

    /** Whether a request with {@code origin} (null: not a cross-site browser request) to {@code host} may proceed. */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String normalized = normalize(origin);
        if (allowed.contains(normalized)) {
            return true;
        }
        URI uri;
        try {
            uri = URI.create(normalized);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null) {
            return false; // "null" origins (sandboxed frames, file://) are not trusted
        }
        String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        if (host != null && stripDefaultPort(originHost, uri.getScheme()).equals(stripDefaultPort(host.toLowerCase(Locale.ROOT), uri.getScheme()))) {
            return true; // same origin, whatever scheme a TLS-terminating proxy changed
        }
        return allowed.isEmpty() && isLocal(uri.getHost());
    }

    private static boolean isLocal(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static String stripDefaultPort(String hostPort, String scheme) {
        if ("http".equals(scheme) || "ws".equals(scheme)) {
            return hostPort.endsWith(":80") ? hostPort.substring(0, hostPort.length() - 3) : hostPort;
        }
        return hostPort.endsWith(":443") ? hostPort.substring(0, hostPort.length() - 4) : hostPort;
    }

    private static String normalize(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
