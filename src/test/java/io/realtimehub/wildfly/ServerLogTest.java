package io.realtimehub.wildfly;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which WildFly log entries the check lets pass: Undertow's UT005088 for a client gone, exactly, and nothing like it. */
class ServerLogTest {
    private static final String HEAD = "2026-12-03 17:18:28,230 ERROR [io.undertow.request.io] (default I/O-3) UT005088:"
            + " Failed to execute ServletOutputStream.closeAsync() on IO thread: ";
    private static final String TASK =
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl$1.run(ServletOutputStreamImpl.java:695)";
    private static final List<String> TAIL = List.of(
            "\tat org.jboss.xnio.nio@3.8.16.Final//org.xnio.nio.WorkerThread.safeRun(WorkerThread.java:624)",
            "\tat org.jboss.xnio.nio@3.8.16.Final//org.xnio.nio.WorkerThread.run(WorkerThread.java:491)",
            "");

    /** As in the hub's TransportsIT and in run.sh: bytes left in the stream's buffer, the exchange terminated. */
    private static final List<String> BUFFERED = List.of(
            HEAD + "java.nio.channels.ClosedChannelException",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.channels.DetachableStreamSinkChannel.writeFinal(DetachableStreamSinkChannel.java:209)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.HttpServerExchange$WriteDispatchChannel.writeFinal(HttpServerExchange.java:2199)",
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl.flushBufferAsync(ServletOutputStreamImpl.java:443)",
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl.closeAsync(ServletOutputStreamImpl.java:722)",
            TASK);

    /** As in run.sh: nothing buffered, the final chunk's write finds the socket closed. */
    private static final List<String> FINAL_CHUNK = List.of(
            HEAD + "java.nio.channels.ClosedChannelException",
            "\tat java.base/sun.nio.ch.SocketChannelImpl.ensureOpenAndConnected(SocketChannelImpl.java:215)",
            "\tat java.base/sun.nio.ch.SocketChannelImpl.write(SocketChannelImpl.java:527)",
            "\tat org.jboss.xnio.nio@3.8.16.Final//org.xnio.nio.NioSocketConduit.write(NioSocketConduit.java:153)",
            "\tat org.jboss.xnio@3.8.16.Final//org.xnio.conduits.AbstractStreamSinkConduit.write(AbstractStreamSinkConduit.java:51)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.conduits.WriteTimeoutStreamSinkConduit.write(WriteTimeoutStreamSinkConduit.java:121)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.protocol.http.HttpResponseConduit.write(HttpResponseConduit.java:641)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.conduits.ChunkedStreamSinkConduit.flush(ChunkedStreamSinkConduit.java:277)",
            "\tat org.jboss.xnio@3.8.16.Final//org.xnio.conduits.ConduitStreamSinkChannel.flush(ConduitStreamSinkChannel.java:162)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.channels.DetachableStreamSinkChannel.flush(DetachableStreamSinkChannel.java:119)",
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl.closeAsync(ServletOutputStreamImpl.java:735)",
            TASK);

    /** As in the -Pwildfly suite and run.sh: an HTTP/2 stream the client reset, ended from another thread. */
    private static final List<String> RESET_STREAM = List.of(
            HEAD + "java.nio.channels.ClosedChannelException",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel.safeToSend(AbstractFramedStreamSinkChannel.java:472)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel.write(AbstractFramedStreamSinkChannel.java:404)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.protocols.http2.Http2DataStreamSinkChannel.write(Http2DataStreamSinkChannel.java:297)",
            "\tat org.jboss.xnio@3.8.16.Final//org.xnio.channels.Channels.writeFinalBasic(Channels.java:1082)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel.writeFinal(AbstractFramedStreamSinkChannel.java:506)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.protocols.http2.Http2DataStreamSinkChannel.writeFinal(Http2DataStreamSinkChannel.java:322)",
            "\tat org.jboss.xnio@3.8.16.Final//org.xnio.conduits.StreamSinkChannelWrappingConduit.writeFinal(StreamSinkChannelWrappingConduit.java:71)",
            "\tat org.jboss.xnio@3.8.16.Final//org.xnio.conduits.ConduitStreamSinkChannel.writeFinal(ConduitStreamSinkChannel.java:114)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.channels.DetachableStreamSinkChannel.writeFinal(DetachableStreamSinkChannel.java:211)",
            "\tat io.undertow.core@2.3.18.Final//io.undertow.server.HttpServerExchange$WriteDispatchChannel.writeFinal(HttpServerExchange.java:2199)",
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl.flushBufferAsync(ServletOutputStreamImpl.java:443)",
            "\tat io.undertow.servlet@2.3.18.Final//io.undertow.servlet.spec.ServletOutputStreamImpl.closeAsync(ServletOutputStreamImpl.java:722)",
            TASK);

    @Test
    void letsUndertowsCloseAsyncForAGoneClientPass() {
        assertEquals(List.of(), ServerLog.problems(log(BUFFERED, FINAL_CHUNK, RESET_STREAM), ServerLog.SERVER_NOISE));
    }

    @Test
    void failsOnAnyOtherUt005088() {
        var brokenPipe = new ArrayList<>(FINAL_CHUNK); // an exception other than "already closed"
        brokenPipe.set(0, HEAD + "java.io.IOException: Broken pipe");
        var notHandedOver = new ArrayList<>(BUFFERED); // closeAsync not run as the I/O thread's task
        notHandedOver.set(5, "\tat io.realtimehub.transport.HttpConnection.complete(HttpConnection.java:1)");
        var otherFrame = new ArrayList<>(BUFFERED); // closed, but found by another frame
        otherFrame.set(1, "\tat io.undertow.channels.DetachableStreamSinkChannel.write(DetachableStreamSinkChannel.java:187)");
        for (List<String> entry : List.of(brokenPipe, notHandedOver, otherFrame)) {
            List<String> problems = ServerLog.problems(log(entry), ServerLog.SERVER_NOISE);
            assertEquals(entry.get(0), problems.isEmpty() ? "passed" : problems.get(0), String.join("\n", entry));
        }
    }

    @Test
    void stillFailsOnAnErrorThatFollowsTheAllowedOne() {
        var lines = log(BUFFERED, List.of("2026-12-03 17:18:29,000 ERROR [io.undertow.request] (default task-1) UT005023: boom"));
        List<String> problems = ServerLog.problems(lines, ServerLog.SERVER_NOISE);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("UT005023"));
    }

    @SafeVarargs
    private static List<String> log(List<String>... entries) {
        var lines = new ArrayList<String>();
        lines.add("2026-12-03 17:17:58,000 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: WildFly starting");
        for (List<String> entry : entries) {
            lines.addAll(entry);
            if (entry.get(entry.size() - 1).startsWith("\tat")) {
                lines.addAll(TAIL);
            }
        }
        return lines;
    }
}
