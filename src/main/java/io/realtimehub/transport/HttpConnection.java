package io.realtimehub.transport;

import io.realtimehub.core.ClientSession;
import io.realtimehub.core.Connection;
import io.realtimehub.core.Event;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.Rejection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One suspended HTTP response (a long-poll or a stream) attached to a client session. It writes
 * with Servlet non-blocking I/O: a slow client never holds a thread, and whatever it cannot take
 * stays in its session's outbox until the overflow policy ends it.
 *
 * <p>Writing needs no container thread of its own: whoever has work for the response (the relay's
 * thread with new events, the timer with a deadline or a heartbeat, the container's
 * {@code onWritePossible}) pumps it, one at a time. A caller that finds a pump running only counts
 * its request, and the running pump goes round once more; nobody waits. Writes never block
 * ({@code isReady()} comes first, and a {@code false} makes the container call back), so the
 * caller's thread is never held by a slow client. Nothing is written before the container's first
 * {@code onWritePossible}, so the dispatch that suspended the request has returned by then. This
 * uses only what the Servlet specification promises (no {@code AsyncContext.start}, whose task a
 * container may run after the response completed), so it behaves the same on every server.
 */
final class HttpConnection implements Connection, WriteListener {
    private static final Logger LOG = Logger.getLogger(HttpConnection.class.getName());
    /** Most bytes of events put in one stream write or one poll answer; the rest waits its turn. */
    private static final int STREAM_BATCH_BYTES = 64 * 1024;
    private static final int POLL_BATCH_BYTES = 512 * 1024;

    private final AsyncContext async;
    private final FrameFormat format;
    private final String callback;
    private final StreamLimits limits;
    private final HubMetrics metrics;
    private final ScheduledExecutorService timer;
    /** Pump requests not yet served; the caller that takes it from 0 pumps until it is 0 again. */
    private final AtomicInteger pumps = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ScheduledFuture<?> deadline;
    private volatile ScheduledFuture<?> heartbeats;
    private volatile ClientSession session;
    private volatile ServletOutputStream out; // set once the write listener is
    private volatile boolean writable;        // the container has called onWritePossible once
    private volatile boolean finishing;
    private volatile boolean heartbeatDue;
    private volatile Event farewell;          // an error event to end with, or null
    // only the pumping thread touches these (the pumps counter orders one pump after another)
    private boolean preludeSent;
    private boolean wroteBatch;
    private boolean needsFlush;
    private long bytesSent;

    HttpConnection(AsyncContext async, FrameFormat format, String callback, StreamLimits limits,
                   HubMetrics metrics, ScheduledExecutorService timer) {
        this.async = async;
        this.format = format;
        this.callback = callback;
        this.limits = limits;
        this.metrics = metrics;
        this.timer = timer;
        async.addListener(new AsyncEnd(this));
        // Our own timer ends the response; the container's timeout is only a safety net.
        async.setTimeout(limits.timeoutMillis() + 30_000);
    }

    /** Starts writing once the hub has attached this connection to {@code attached}. */
    void start(ClientSession attached) throws IOException {
        session = attached;
        metrics.connectionOpened(format.transport());
        if (limits.timeoutMillis() > 0) {
            deadline = timer.schedule(this::finish, limits.timeoutMillis(), TimeUnit.MILLISECONDS);
        } else {
            finishing = true; // timeout=0 (a first poll, a resume check): answered by the first pump
        }
        if (limits.heartbeatMillis() > 0) {
            heartbeats = timer.scheduleAtFixedRate(this::heartbeat, limits.heartbeatMillis(),
                    limits.heartbeatMillis(), TimeUnit.MILLISECONDS);
        }
        ServletOutputStream stream = async.getResponse().getOutputStream();
        out = stream; // before the listener: the container may call it on another thread at once
        stream.setWriteListener(this); // it calls onWritePossible when it can take bytes
    }

    @Override
    public String transport() {
        return format.transport();
    }

    @Override
    public long holdMillis() {
        return format.streaming() ? 0 : limits.timeoutMillis();
    }

    @Override
    public void wake() {
        pump();
    }

    @Override
    public void close(CloseReason reason) {
        if (reason == CloseReason.EXPIRED) { // the last thing this response says: resume with a fresh token
            farewell = Event.error(Rejection.Code.UNAUTHORIZED, "token expired", null);
        }
        finish();
    }

    private void finish() {
        finishing = true;
        pump();
    }

    private void heartbeat() {
        heartbeatDue = true;
        pump();
    }

    @Override
    public void onWritePossible() {
        writable = true;
        pump();
    }

    /** Serves every pump request made until none is left; returns at once if another thread pumps. */
    private void pump() {
        if (pumps.getAndIncrement() != 0) {
            return; // the pumping thread will go round again for us
        }
        int served = 1;
        do {
            pumpOnce();
            served = pumps.addAndGet(-served);
        } while (served != 0);
    }

    /** Writes while the client can take bytes: prelude, queued events, heartbeats, then the end. */
    private void pumpOnce() {
        if (ended.get() || !writable) {
            return;
        }
        try {
            while (out.isReady()) {
                if (needsFlush) { // every write is flushed as soon as the client can take it
                    needsFlush = false;
                    out.flush();
                    continue;
                }
                if (!preludeSent) {
                    preludeSent = true;
                    write(format.prelude(callback));
                    continue;
                }
                if (wroteBatch && !format.streaming()) {
                    complete(); // a poll answers one batch; what is left waits for the next poll
                    return;
                }
                List<Event> events = drain();
                if (!events.isEmpty()) {
                    write(format.frames(events, callback));
                    metrics.delivered(format.transport(), events.size());
                    wroteBatch = true;
                    continue;
                }
                if (finishing) {
                    complete();
                    return;
                }
                if (heartbeatDue) {
                    heartbeatDue = false;
                    write(format.heartbeat());
                    continue;
                }
                return; // nothing to do until wake(), a heartbeat or the deadline
            }
        } catch (IOException | RuntimeException e) {
            // a client that went away is routine; anything else is a bug that cut an answer short
            LOG.log(e instanceof IOException ? Level.FINE : Level.WARNING, "write failed; ending response", e);
            end();
            completeQuietly(); // whatever happened, the request must not hang until the container's timeout
        }
    }

    /**
     * The next batch: for a poll, up to its batch size; for a stream, what fits before its limit
     * (frames and epilogue included), one event at least only while it has sent none; when the next
     * event does not fit, the stream finishes and the event waits for the next one.
     */
    private List<Event> drain() {
        if (!format.streaming()) {
            return session.drain(this, POLL_BATCH_BYTES, e -> format.frameBytes(e, callback), true);
        }
        long room = Math.min(STREAM_BATCH_BYTES, limits.maxBytes() - bytesSent - format.epilogue().length);
        List<Event> events = session.drain(this, room, e -> format.frameBytes(e, callback), !wroteBatch);
        if (events.isEmpty() && session.hasQueuedFor(this)) {
            finishing = true;
        }
        return events;
    }

    private void write(byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            out.write(bytes);
            bytesSent += bytes.length;
            needsFlush = true;
        }
    }

    /** Ends the response: a poll with nothing to say answers an empty batch, a stream its epilogue. */
    private void complete() throws IOException {
        List<Event> last = farewell == null ? List.of() : List.of(farewell);
        if (format.streaming()) { // one write: a second one may not follow before isReady() says so
            byte[] frames = format.frames(last, callback);
            byte[] epilogue = format.epilogue();
            byte[] end = java.util.Arrays.copyOf(frames, frames.length + epilogue.length);
            System.arraycopy(epilogue, 0, end, frames.length, epilogue.length);
            write(end);
        } else if (!wroteBatch) {
            write(format.frames(last, callback));
        }
        end();
        async.complete(); // flushes what the client has not taken yet
    }

    /** Detaches from the session exactly once; the session keeps what was not written. */
    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (session != null) {
            session.detach(this, System.currentTimeMillis());
            metrics.connectionClosed(format.transport());
        }
    }

    @Override
    public void onError(Throwable t) {
        end();
        completeQuietly();
    }

    /** The container completed the response (also after our own {@code complete()}). */
    void ended() {
        end();
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException ignored) {
            // already completed
        }
    }
}
