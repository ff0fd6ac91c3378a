package io.realtimehub.it.clients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** A request written by hand, for what java.net.http refuses to send (Upgrade headers, raw query bytes). */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code GET path} with extra header lines and returns the whole response as text (until close or 3 s). */
    public static String get(URL base, String path, String... headerLines) throws IOException {
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(3000);
            var request = new StringBuilder("GET ").append(base.getPath()).append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            var out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // a streaming answer: what came so far
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** A WebSocket handshake request for {@code path}, with optional extra header lines. */
    public static String handshake(URL base, String path, String... extra) throws IOException {
        String[] lines = new String[4 + extra.length];
        lines[0] = "Upgrade: websocket";
        lines[1] = "Connection: Upgrade";
        lines[2] = "Sec-WebSocket-Version: 13";
        lines[3] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        System.arraycopy(extra, 0, lines, 4, extra.length);
        return get(base, path, lines);
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    public static String body(String response) {
        int at = response.indexOf("\r\n\r\n");
        return at < 0 ? "" : response.substring(at + 4);
    }
}
