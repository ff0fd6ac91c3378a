package io.realtimehub.load;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscriber over one transport, as a small state machine on its {@link IoLoop}'s thread:
 * connect, send the request (a WebSocket upgrade or a GET), read the response head, then take
 * events out of whatever framing the transport uses (WebSocket frames, a chunked or
 * length-delimited HTTP body) with one JSON object splitter. Polls send the next poll as soon as
 * one answers; streams reopen with {@code since} when the server ends them.
 *
 * <p>Once it has been welcomed it reconnects as hub.js does: with its client id and key, {@code since}
 * = the last event id it saw, after a random delay under a cap that starts at 500 ms and doubles
 * per failure up to 10 s (back to 500 ms once a connection has lived 5 s); a WebSocket that
 * closes or breaks, a poll answered with an error (nginx's 503 while a node is down), a stream
 * that ends early or a request unanswered in time all take that path.
 *
 * <p>It keeps little per connection (a few fields, a buffer only while a partial frame waits),
 * so one process can hold ~15,000 of them.
 */
final class Subscriber {
    /** WAITING: the connection failed and a reconnect is scheduled ({@link IoLoop#retryLater}). */
    private enum Phase { IDLE, WAITING, CONNECTING, HEAD, BODY, CLOSED }

    // hub.js: backoffBase, backoffMax, stableAfter, openTimeout
    private static final long BACKOFF_BASE_NANOS = 500_000_000L;
    private static final long BACKOFF_MAX_NANOS = 10_000_000_000L;
    private static final long STABLE_AFTER_NANOS = 5_000_000_000L;
    private static final long OPEN_TIMEOUT_NANOS = 5_000_000_000L;

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] TYPE = bytes("\"type\":\"");
    private static final byte[] ID = bytes("\"id\":\"");
    private static final byte[] CLIENT = bytes("\"client\":\"");
    private static final byte[] KEY = bytes("\"key\":\"");
    private static final byte[] SINCE = bytes("\"since\":\"");
    private static final byte[] NODE = bytes("\"node\":\"");
    /** Subscribers that report what they missed on stderr (the first few of a process). */
    private static final java.util.concurrent.atomic.AtomicInteger REPORTED = new java.util.concurrent.atomic.AtomicInteger();
    private static final byte[] DATA = bytes("\"data\":{");

    private final IoLoop loop;
    private final Options options;
    private final int index;
    private final Stats stats;
    private SocketChannel channel;
    private SelectionKey key;
    private Phase phase = Phase.IDLE;
    private boolean live;
    private String client;
    private String resumeKey;     // the secret that goes with client (from welcome)
    private String nodes = "";    // the nodes that welcomed it, in order (for the report of a loss)
    private String sentSince;     // the since of the request in flight (for that report too)
    private int openFailures;     // connections that failed before the first welcome
    private int presenceSeen;     // join, leave and presence events received
    private String lastId;
    private long connectStartedNanos;
    private long lastPingNanos;
    private ByteBuffer pendingWrite;

    // the current connection and reconnecting
    private long connectedAtNanos;
    private long requestSentNanos;
    private boolean welcomedNow;   // this request got its welcome
    private boolean opened;        // this connection worked: welcomed (streams), or a poll answered 200
    private long openedAtNanos;
    private int attempt;           // failures since the last stable connection
    private int quickReopens;      // keep-alive connections found closed in a row
    long retryDueNanos;            // when WAITING: System.nanoTime of the reconnect

    /** Bytes kept between reads: an incomplete response head, WebSocket frame or chunk-size line. */
    private byte[] in = new byte[0];
    private int inLength;

    // HTTP body framing
    private boolean chunked;
    private long remaining; // Content-Length left, or bytes left in the current chunk
    private int chunkState; // 0 size line, 1 data, 2 CRLF after data, 3 trailer
    private long chunkSize;
    private boolean chunkExtension;
    private boolean closeAfterResponse;
    private boolean untilClose;

    // the JSON object splitter
    private byte[] object = new byte[0];
    private int objectLength;
    private int depth;
    private boolean inString;
    private boolean escaped;

    // what this subscriber has seen
    private long[] seen = new long[0];
    // the ids of the last messages received, by sequence number modulo 64: a repeat names both
    private final String[] recentIds = new String[64];
    private final long[] recentSeqs = new long[64];
    private int[] lastSeqOfPublisher = new int[0];
    private long lastArrivalMicros = -1;
    private long firstAfterFaultMicros = -1; // arrival of the first event published after the fault
    private long lastLateMicros = -1;        // the last arrival (after the fault) later than the recovery gap

    Subscriber(IoLoop loop, Options options, int index) {
        this.loop = loop;
        this.options = options;
        this.index = index;
        this.stats = loop.stats;
    }

    int group() {
        return options.groups() == 1 ? 0 : index % options.groups();
    }

    boolean isOpen() {
        return phase != Phase.CLOSED && phase != Phase.IDLE && phase != Phase.WAITING;
    }

    /** Had been welcomed, but has no working connection now (at the end of a run). */
    boolean isDown() {
        return live && !(isOpen() && opened);
    }

    void connect() throws IOException {
        long now = System.nanoTime();
        if (!live) {
            connectStartedNanos = now;
        }
        connectedAtNanos = now;
        requestSentNanos = now;
        opened = false;
        welcomedNow = false;
        depth = 0;
        objectLength = 0;
        inString = false;
        escaped = false;
        inLength = 0;
        pendingWrite = null;
        channel = loop.open(index);
        key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
        phase = Phase.CONNECTING;
    }

    void onConnectable() throws IOException {
        channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        phase = Phase.HEAD;
        inLength = 0;
        sendRequest();
    }

    private void sendRequest() throws IOException {
        stats.requests++;
        requestSentNanos = System.nanoTime();
        welcomedNow = false;
        write(request());
    }

    /** A reconnect that {@link IoLoop#retryLater} scheduled is due. */
    void retry() {
        stats.reconnects++;
        try {
            connect();
        } catch (IOException | RuntimeException e) {
            onFailure(e);
        }
    }

    private ByteBuffer request() {
        String path = options.path();
        String channels = enc(options.channelOf(index));
        sentSince = lastId;
        String resume = (client == null ? "" : "&client=" + enc(client) + (resumeKey == null ? "" : "&key=" + enc(resumeKey)))
                + (lastId == null ? "" : "&since=" + enc(lastId));
        String host = options.host() + ":" + options.port();
        String target = switch (options.transport()) {
            case WEBSOCKET -> path + "ws?channels=" + channels + resume;
            case POLL -> path + "poll?channels=" + channels + "&timeout=" + pollTimeout() + resume;
            case JSONP -> path + "jsonp?callback=cb&channels=" + channels + "&timeout=" + pollTimeout() + resume;
            case IFRAME -> path + "iframe?callback=cb&channels=" + channels + resume;
            case SSE -> path + "sse?channels=" + channels + resume;
        };
        var request = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\nUser-Agent: realtime-hub-load\r\n");
        if (options.transport() == Options.Transport.WEBSOCKET) {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
                    .append(java.util.Base64.getEncoder().encodeToString(nonce)).append("\r\n");
        }
        request.append("\r\n");
        return ByteBuffer.wrap(bytes(request.toString()));
    }

    /** The first poll answers at once with the welcome; later ones wait for events. */
    private int pollTimeout() {
        return client == null ? 0 : options.pollTimeout();
    }

    private void write(ByteBuffer buffer) throws IOException {
        if (pendingWrite != null) {
            ByteBuffer joined = ByteBuffer.allocate(pendingWrite.remaining() + buffer.remaining());
            joined.put(pendingWrite).put(buffer).flip();
            buffer = joined;
        }
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            pendingWrite = buffer;
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        } else {
            pendingWrite = null;
        }
    }

    void onWritable() throws IOException {
        if (pendingWrite != null) {
            channel.write(pendingWrite);
            if (pendingWrite.hasRemaining()) {
                return;
            }
            pendingWrite = null;
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    void onBytes(byte[] b, int off, int len, long now) throws IOException {
        if (phase == Phase.HEAD) {
            append(b, off, len);
            int end = indexOf(in, 0, inLength, HEAD_END);
            if (end < 0) {
                if (inLength > 16 * 1024) {
                    throw new IOException("response head too large");
                }
                return;
            }
            head(new String(in, 0, end, StandardCharsets.ISO_8859_1));
            int bodyStart = end + 4;
            byte[] rest = Arrays.copyOfRange(in, bodyStart, inLength);
            inLength = 0;
            phase = Phase.BODY;
            if (rest.length > 0) {
                body(rest, 0, rest.length, now);
            }
            return;
        }
        if (phase == Phase.BODY) {
            body(b, off, len, now);
        }
    }

    private void head(String head) throws IOException {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length > 1 ? Integer.parseInt(status[1]) : 0;
        int expected = options.transport() == Options.Transport.WEBSOCKET ? 101 : 200;
        if (code != expected) {
            throw new IOException("HTTP " + code + " instead of " + expected + " (" + lines[0] + ")");
        }
        chunked = false;
        untilClose = options.transport() != Options.Transport.WEBSOCKET;
        remaining = 0;
        chunkState = 0;
        chunkSize = 0;
        closeAfterResponse = lines[0].startsWith("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                remaining = Long.parseLong(value);
                untilClose = false;
            } else if (name.equals("transfer-encoding") && value.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                chunked = true;
                untilClose = false;
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                closeAfterResponse = true;
            }
        }
        if (options.transport() == Options.Transport.WEBSOCKET) {
            chunked = false;
            untilClose = false;
        }
        quickReopens = 0;
        if (options.transport().polling() && !opened) {
            opened = true;
            openedAtNanos = System.nanoTime();
        }
    }

    private void body(byte[] b, int off, int len, long now) throws IOException {
        if (options.transport() == Options.Transport.WEBSOCKET) {
            wsFrames(b, off, len, now);
        } else if (chunked) {
            chunks(b, off, len, now);
        } else if (untilClose) {
            scan(b, off, len, now);
        } else {
            int n = (int) Math.min(len, remaining);
            scan(b, off, n, now);
            remaining -= n;
            if (remaining == 0) {
                responseEnded();
            }
        }
    }

    // ---------------------------------------------------------------- HTTP chunked bodies

    private void chunks(byte[] b, int off, int len, long now) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end && phase == Phase.BODY) {
            switch (chunkState) {
                case 0 -> { // size line: hex digits, maybe ;extensions, CRLF
                    byte c = b[i++];
                    if (c == '\n') {
                        chunkExtension = false;
                        if (chunkSize == 0) {
                            chunkState = 3;
                            inLength = 0;
                        } else {
                            remaining = chunkSize;
                            chunkSize = 0;
                            chunkState = 1;
                        }
                    } else if (c == ';') {
                        chunkExtension = true;
                    } else if (!chunkExtension && Character.digit(c, 16) >= 0) {
                        chunkSize = chunkSize * 16 + Character.digit(c, 16);
                    }
                }
                case 1 -> {
                    int n = (int) Math.min(end - i, remaining);
                    scan(b, i, n, now);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        chunkState = 2;
                    }
                }
                case 2 -> { // the CRLF after a chunk's data
                    if (b[i++] == '\n') {
                        chunkState = 0;
                    }
                }
                default -> { // trailer lines after the last chunk, up to an empty line
                    byte c = b[i++];
                    if (c == '\n') {
                        if (inLength == 0) {
                            chunkState = 0;
                            responseEnded();
                            return;
                        }
                        inLength = 0;
                    } else if (c != '\r') {
                        inLength++;
                    }
                }
            }
        }
    }

    /** A poll answered or a stream ended: poll again, or reopen the stream where it stopped. */
    private void responseEnded() throws IOException {
        if (options.transport() != Options.Transport.WEBSOCKET) {
            if (!live) { // a poll that brought no welcome, or a stream that ended before it
                throw new IOException("response ended without a welcome");
            }
            if (loop.stopping()) {
                return;
            }
            if (!options.transport().polling()) {
                // hub.js: a stream ended after its welcome is replaced at once, unless it lasted
                // under a second (then it is a failure, with backoff)
                if (!welcomedNow || System.nanoTime() - requestSentNanos < 1_000_000_000L) {
                    throw new IOException("stream ended " + (welcomedNow ? "within a second" : "without a welcome"));
                }
                stats.reconnects++;
            }
            if (closeAfterResponse) {
                reopen(false);
            } else {
                phase = Phase.HEAD;
                inLength = 0;
                sendRequest();
            }
        }
    }

    private void reopen(boolean count) throws IOException {
        closeChannel();
        if (count || options.transport().polling()) {
            stats.reconnects++;
        }
        connect();
    }

    // ---------------------------------------------------------------- WebSocket frames

    private void wsFrames(byte[] b, int off, int len, long now) throws IOException {
        byte[] data;
        int start;
        int end;
        if (inLength == 0) {
            data = b;
            start = off;
            end = off + len;
        } else {
            append(b, off, len);
            data = in;
            start = 0;
            end = inLength;
        }
        int p = start;
        while (end - p >= 2) {
            int opcode = data[p] & 0x0f;
            int len7 = data[p + 1] & 0x7f;
            int header = 2;
            long length = len7;
            if (len7 == 126) {
                if (end - p < 4) {
                    break;
                }
                length = ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
                header = 4;
            } else if (len7 == 127) {
                if (end - p < 10) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (data[p + 2 + i] & 0xff);
                }
                header = 10;
            }
            if (length > 16 * 1024 * 1024) {
                throw new IOException("WebSocket frame of " + length + " bytes");
            }
            if (end - p < header + length) {
                break;
            }
            int payload = p + header;
            switch (opcode) {
                case 0, 1 -> scan(data, payload, (int) length, now); // text (and continuations of it)
                case 8 -> {
                    throw new IOException("closed by the server");
                }
                case 9 -> write(frame(0xA, Arrays.copyOfRange(data, payload, payload + (int) length)));
                default -> {
                }
            }
            p = payload + (int) length;
        }
        int left = end - p;
        if (data == in) {
            System.arraycopy(in, p, in, 0, left);
            inLength = left;
        } else if (left > 0) {
            inLength = 0;
            append(data, p, left);
        }
        if (inLength == 0 && in.length > 4096) {
            in = new byte[0]; // give a large frame's buffer back
        }
    }

    /** A masked client frame (RFC 6455 requires clients to mask). */
    private static ByteBuffer frame(int opcode, byte[] payload) {
        int n = payload.length;
        ByteBuffer out = ByteBuffer.allocate(n + 14);
        out.put((byte) (0x80 | opcode));
        if (n < 126) {
            out.put((byte) (0x80 | n));
        } else {
            out.put((byte) (0x80 | 126)).putShort((short) n);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.put(mask);
        for (int i = 0; i < n; i++) {
            out.put((byte) (payload[i] ^ mask[i & 3]));
        }
        out.flip();
        return out;
    }

    // ---------------------------------------------------------------- events

    /** Splits a byte stream into top-level JSON objects, whatever surrounds them ({@code cb([...]);}, {@code data: }, HTML). */
    private void scan(byte[] b, int off, int len, long now) throws IOException {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (depth == 0) {
                if (c == '{') {
                    depth = 1;
                    objectLength = 0;
                    put(c);
                }
                continue;
            }
            put(c);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                event(object, objectLength, now);
            }
        }
    }

    private void put(byte c) {
        if (objectLength == object.length) {
            object = Arrays.copyOf(object, Math.max(256, object.length * 2));
        }
        object[objectLength++] = c;
    }

    private void event(byte[] o, int length, long now) throws IOException {
        String type = stringAfter(o, length, TYPE, 0);
        String id = stringAfter(o, length, ID, 0);
        if (id != null) {
            lastId = id;
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "message" -> message(o, length, now);
            case "welcome" -> {
                String welcomed = stringAfter(o, length, CLIENT, 0);
                String givenKey = stringAfter(o, length, KEY, 0);
                resumeKey = givenKey != null || welcomed == null || !welcomed.equals(client) ? givenKey : resumeKey;
                client = welcomed;
                String node = stringAfter(o, length, NODE, 0);
                if (node != null && !nodes.endsWith(node)) {
                    nodes = nodes.isEmpty() ? node : nodes + ">" + node;
                }
                // v2: the subscription's cursor, for a client that has seen no event yet
                String since = stringAfter(o, length, SINCE, 0);
                if (lastId == null && since != null) {
                    lastId = since;
                }
                welcomedNow = true;
                if (!opened) {
                    opened = true;
                    openedAtNanos = System.nanoTime();
                }
                if (!live) {
                    live = true;
                    loop.handshakeDone(true);
                }
            }
            case "reset" -> {
                // hub.js: the since we sent is useless now; the next reconnect must not ask for it
                stats.resets++;
                if (REPORTED.getAndIncrement() < 5) {
                    System.err.println("load: subscriber " + index + " (" + client + ", welcomed by " + nodes
                            + ") got a reset for since=" + sentSince);
                }
                lastId = null;
            }
            case "error" -> stats.errors++;
            case "join", "leave", "presence" -> {
                stats.presence++;
                stats.presenceMax = Math.max(stats.presenceMax, ++presenceSeen);
            }
            default -> {
            }
        }
        if (object.length > 4096) {
            object = new byte[256];
        }
    }

    /** {@code data} is {@code {"s":SEQ,"p":PUBLISHER,"q":SEQ_OF_PUBLISHER,"t":SENT_MICROS,"m":"..."}} (see Publisher). */
    private void message(byte[] o, int length, long now) {
        int data = indexOf(o, 0, length, DATA);
        if (data < 0) {
            return;
        }
        int p = data + DATA.length;
        long s = -1;
        long pub = -1;
        long q = -1;
        long t = -1;
        // the four numbers come first, in this order, as the publisher wrote them
        for (int field = 0; field < 4 && p < length; field++) {
            if (o[p] != '"' || p + 3 >= length || o[p + 2] != '"' || o[p + 3] != ':') {
                return;
            }
            byte name = o[p + 1];
            p += 4;
            long value = 0;
            while (p < length && o[p] >= '0' && o[p] <= '9') {
                value = value * 10 + (o[p++] - '0');
            }
            switch (name) {
                case 's' -> s = value;
                case 'p' -> pub = value;
                case 'q' -> q = value;
                case 't' -> t = value;
                default -> {
                    return;
                }
            }
            if (p < length && o[p] == ',') {
                p++;
            }
        }
        if (s < 0 || pub < 0 || q < 0 || t < 0 || pub > 10_000) {
            return; // someone else's message
        }
        if (markSeen(s)) {
            stats.deliveries++;
            stats.duplicates++;
            if (REPORTED.getAndIncrement() < 5) {
                int r = (int) (s & 63);
                String first = recentSeqs[r] == s + 1 ? recentIds[r] : "(no longer known)";
                System.err.println("load: subscriber " + index + " (" + client + ", welcomed by " + nodes + ") got message "
                        + s + " again, id " + stringAfter(o, length, ID, 0) + " (first as " + first
                        + "), on a request with since=" + sentSince);
            }
            return;
        }
        recentSeqs[(int) (s & 63)] = s + 1;
        recentIds[(int) (s & 63)] = lastId;
        int publisher = (int) pub;
        if (publisher >= lastSeqOfPublisher.length) {
            int old = lastSeqOfPublisher.length;
            lastSeqOfPublisher = Arrays.copyOf(lastSeqOfPublisher, publisher + 1);
            Arrays.fill(lastSeqOfPublisher, old, publisher + 1, -1);
        }
        if (q < lastSeqOfPublisher[publisher]) {
            stats.outOfOrder++;
            if (REPORTED.getAndIncrement() < 5) {
                System.err.println("load: subscriber " + index + " (" + client + ", welcomed by " + nodes + ") got message "
                        + q + " of publisher " + publisher + " (id " + lastId + ") after its message "
                        + lastSeqOfPublisher[publisher] + ", on a request with since=" + sentSince);
            }
        } else {
            lastSeqOfPublisher[publisher] = (int) q;
        }
        long gap = lastArrivalMicros < 0 ? -1 : now - lastArrivalMicros;
        long fault = loop.fault().startMicros();
        if (now >= fault) {
            // an accepted event that took longer than the gap: this subscriber was not receiving
            // (a silence in which nothing was accepted is the publishers' outage, reported apart)
            if (now - t > options.recoveryGapMicros()) {
                lastLateMicros = now;
            }
            if (firstAfterFaultMicros < 0 && t >= fault) {
                firstAfterFaultMicros = now;
            }
        }
        lastArrivalMicros = now;
        stats.delivered(s, now - t, gap, now);
    }

    /** Marks message {@code s} as seen; true when it had been seen before. */
    private boolean markSeen(long s) {
        int word = (int) (s >>> 6);
        if (word >= seen.length) {
            seen = Arrays.copyOf(seen, Math.max(word + 1, seen.length * 2));
        }
        long bit = 1L << (s & 63);
        boolean was = (seen[word] & bit) != 0;
        seen[word] |= bit;
        return was;
    }

    /**
     * After the run: what this subscriber was owed ({@code accepted}, a bit per message) against
     * what it saw, and how long after {@code faultMicros} it was receiving again: once it got an
     * event published after the fault, and the last event that reached it later than the recovery
     * gap had arrived; never, if no event published after the fault reached it.
     */
    void account(long[] accepted, long faultMicros) {
        if (!live) {
            return;
        }
        long lost = 0;
        var missed = new StringBuilder();
        for (int w = 0; w < Math.max(accepted.length, seen.length); w++) {
            long owed = w < accepted.length ? accepted[w] : 0;
            long got = w < seen.length ? seen[w] : 0;
            stats.expected += Long.bitCount(owed);
            lost += Long.bitCount(owed & ~got);
            stats.unaccepted += Long.bitCount(got & ~owed);
            for (long m = owed & ~got; m != 0 && missed.length() < 200; m &= m - 1) {
                missed.append(missed.length() == 0 ? "" : ",").append(w * 64L + Long.numberOfTrailingZeros(m));
            }
        }
        stats.lost += lost;
        if (lost > 0 && REPORTED.getAndIncrement() < 5) {
            System.err.println("load: subscriber " + index + " (" + client + ", welcomed by " + nodes + ") missed " + lost
                    + " accepted messages: " + missed + (missed.length() >= 200 ? ",..." : "") + "; at the end "
                    + phase + " (chunk state " + chunkState + "), request sent "
                    + (System.nanoTime() - requestSentNanos) / 1_000_000 + " ms before with since=" + sentSince
                    + ", last id " + lastId);
        }
        if (faultMicros != Long.MAX_VALUE) {
            if (firstAfterFaultMicros < 0) {
                stats.unrecovered++;
            } else {
                long back = Math.max(firstAfterFaultMicros, lastLateMicros) - faultMicros;
                stats.recovery.recordValue(Math.max(0, Math.min(back, stats.recovery.getHighestTrackableValue())));
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    void tick(long now) throws IOException {
        if (!live && phase != Phase.CLOSED && phase != Phase.IDLE
                && now - connectStartedNanos > options.connectTimeout() * 1_000_000_000L) {
            onFailure(new IOException("no welcome within " + options.connectTimeout() + " s"));
            return;
        }
        if (live && isOpen()) {
            // a reconnect that gets no answer in time counts as failed, like hub.js's openTimeout; so
            // does a poll not answered in full within its timeout and a margin, like hub.js's XHR timeout
            boolean polling = options.transport().polling();
            long limit = polling && phase != Phase.CONNECTING ? pollTimeout() * 1_000_000_000L + OPEN_TIMEOUT_NANOS
                    : OPEN_TIMEOUT_NANOS;
            boolean waiting = phase == Phase.CONNECTING || phase == Phase.HEAD || polling && phase == Phase.BODY
                    || (!polling && !welcomedNow);
            if (waiting && now - requestSentNanos > limit) {
                if (phase == Phase.BODY && REPORTED.getAndIncrement() < 5) { // a server that stopped mid-answer
                    System.err.println("load: subscriber " + index + " (" + client + "): answer to since=" + sentSince
                            + " begun but not ended within " + limit / 1_000_000_000L + " s; polling again");
                }
                onFailure(new IOException("no answer within " + limit / 1_000_000_000L + " s"));
                return;
            }
        }
        if (live && phase == Phase.BODY && options.transport() == Options.Transport.WEBSOCKET && options.ping() > 0) {
            if (lastPingNanos == 0) {
                // spread the pings of thousands of connections over the interval
                lastPingNanos = now - (long) (ThreadLocalRandom.current().nextDouble() * options.ping() * 1e9);
            } else if (now - lastPingNanos > options.ping() * 1_000_000_000L) {
                lastPingNanos = now;
                write(frame(1, bytes("{\"type\":\"ping\"}")));
            }
        }
    }

    void onEof() throws IOException {
        if (loop.stopping()) {
            closeChannel();
            return;
        }
        if (live && options.transport() != Options.Transport.WEBSOCKET) {
            boolean polling = options.transport().polling();
            // the server closed a keep-alive connection between two polls (a reload closes idle
            // ones): send the poll again at once, a few times in a row at most
            boolean betweenPolls = polling && phase == Phase.HEAD && inLength == 0 && quickReopens++ < 3;
            // a stream (or a response) without a length ended, after it had worked for a while
            boolean ended = phase == Phase.BODY && untilClose && (polling || welcomedNow);
            boolean streamRan = !polling && phase == Phase.BODY && welcomedNow
                    && System.nanoTime() - requestSentNanos > 1_000_000_000L;
            if (betweenPolls || ended || streamRan) {
                reopen(true);
                return;
            }
        }
        onFailure(new IOException("connection closed by the server"));
    }

    void onFailure(Exception e) {
        closeChannel();
        if (phase == Phase.CLOSED || phase == Phase.WAITING) {
            return;
        }
        if (!live && openFailures++ < 2 && !loop.stopping()) {
            // hub.js retries a transport that never opened too (a node restarting, nginx reloading)
            phase = Phase.WAITING;
            loop.retryLater(this, System.nanoTime() + (long) (ThreadLocalRandom.current().nextDouble() * BACKOFF_BASE_NANOS));
            return;
        }
        if (!live) {
            phase = Phase.CLOSED;
            loop.handshakeDone(false);
            if (stats.connectFailures <= 3) {
                System.err.println("load: subscriber " + index + " failed to connect: " + e.getMessage());
            }
            return;
        }
        if (loop.stopping()) {
            phase = Phase.CLOSED;
            return;
        }
        long now = System.nanoTime();
        if (opened) {
            stats.drops++;
            if (stats.drops <= 3) {
                System.err.println("load: subscriber " + index + " (" + client + ") dropped: " + e.getMessage());
            }
            if (now - openedAtNanos > STABLE_AFTER_NANOS) {
                attempt = 0;
            }
        }
        // exponential backoff with full jitter, as hub.js's retryLater
        long cap = Math.min(BACKOFF_MAX_NANOS, BACKOFF_BASE_NANOS << Math.min(attempt++, 10));
        phase = Phase.WAITING;
        opened = false;
        loop.retryLater(this, now + (long) (ThreadLocalRandom.current().nextDouble() * cap));
    }

    /** At the end of the run: a WebSocket says goodbye (close 1000), everything else just closes. */
    void shutdown() {
        if (channel != null && channel.isOpen() && live && options.transport() == Options.Transport.WEBSOCKET
                && phase == Phase.BODY) {
            try {
                channel.write(frame(8, new byte[] {0x03, (byte) 0xe8}));
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeChannel();
        phase = Phase.CLOSED;
    }

    private void closeChannel() {
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
        pendingWrite = null;
    }

    // ---------------------------------------------------------------- bytes

    private void append(byte[] b, int off, int len) {
        if (inLength + len > in.length) {
            in = Arrays.copyOf(in, Math.max(inLength + len, Math.max(512, in.length * 2)));
        }
        System.arraycopy(b, off, in, inLength, len);
        inLength += len;
    }

    private static int indexOf(byte[] hay, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The JSON string value after {@code key} (e.g. {@code "type":"}), unescaped only as far as ids and names need. */
    private static String stringAfter(byte[] o, int length, byte[] key, int from) {
        int at = indexOf(o, from, length, key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length;
        int end = start;
        while (end < length && o[end] != '"') {
            end++;
        }
        return new String(o, start, end - start, StandardCharsets.UTF_8);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
