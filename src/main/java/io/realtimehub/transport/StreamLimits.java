package io.realtimehub.transport;

/**
 * When an HTTP response ends: a poll after {@code timeoutMillis} with nothing to say; a stream
 * after {@code timeoutMillis} or {@code maxBytes} (so the browser frees the page and proxies do
 * not buffer for ever), with a heartbeat every {@code heartbeatMillis} while idle (0: none).
 */
public record StreamLimits(long timeoutMillis, long maxBytes, long heartbeatMillis) {
}
