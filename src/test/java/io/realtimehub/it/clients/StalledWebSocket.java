package io.realtimehub.it.clients;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that completes the handshake and then stops reading, with a tiny receive
 * buffer: what a frozen browser tab looks like to the server. Afterwards it can read everything
 * the server sent, to find the close frame.
 */
public final class StalledWebSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    public StalledWebSocket(URL base, String query) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the TCP window stays small
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        String request = "GET " + base.getPath() + "ws?" + query + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        in = socket.getInputStream();
        String headers = readHeaders();
        if (!headers.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + headers);
        }
    }

    private String readHeaders() throws IOException {
        var out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during handshake");
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads every frame the server sent until it closes the connection (or {@code seconds} pass).
     * Returns the status code of its close frame; 1006 when the server dropped the connection with
     * no close frame; 0 when the connection was still open after {@code seconds}.
     */
    public int readToCloseFrame(int seconds) throws IOException {
        // Reading again, with room to read. Draining the backlog through the 4 KB window of the
        // stall took 5 minutes in 2 CI runs, we think because that window is far below the
        // loopback MSS (64 KB) and the server's TCP then sends only on its backing-off
        // persist-timer probes (a guess, not traced).
        socket.setReceiveBufferSize(1 << 20);
        socket.setSoTimeout(seconds * 1000);
        var data = new DataInputStream(in);
        try {
            while (true) {
                int opcode = data.readUnsignedByte() & 0x0f;
                long length = data.readUnsignedByte() & 0x7f; // server frames are not masked
                if (length == 126) {
                    length = data.readUnsignedShort();
                } else if (length == 127) {
                    length = data.readLong();
                }
                if (opcode == 0x8) {
                    return length >= 2 ? data.readUnsignedShort() : 1005;
                }
                data.skipNBytes(length);
            }
        } catch (EOFException | java.net.SocketException e) {
            return 1006;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
