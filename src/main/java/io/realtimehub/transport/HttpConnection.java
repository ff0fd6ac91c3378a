package io.realtimehub.transport;

import io.realtimehub.core.ClientSession;
import io.realtimehub.core.Connection;
import io.realtimehub.core.Event;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.Rejection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One suspended HTTP response (a long-poll or a stream) attached to a client session. It writes
 * with Servlet non-blocking I/O: a slow client never holds a thread, and whatever it cannot take
 * stays in its session's outbox until the overflow policy ends it. Work is always done on a
 * container thread ({@link AsyncContext#start} or the write listener), one pump at a time.
 */
final class HttpConnection implements Connection, WriteListener, AsyncListener {
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
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> heartbeats;
    private volatile ClientSession session;
    private ServletOutputStream out;
    private boolean preludeSent;
    private boolean finishing;
    private boolean heartbeatDue;
    private Event farewell; // an error event to end with, or null
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
        async.addListener(this);
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
            // timeout=0 (a first poll, a resume check): answered by the first pump the container
            // starts, rather than by a timer racing the dispatch that is still setting this up
            synchronized (this) {
                finishing = true;
            }
        }
        if (limits.heartbeatMillis() > 0) {
            heartbeats = timer.scheduleAtFixedRate(this::heartbeat, limits.heartbeatMillis(),
                    limits.heartbeatMillis(), TimeUnit.MILLISECONDS);
        }
        ServletOutputStream stream = async.getResponse().getOutputStream();
        synchronized (this) {
            // A wake-up may already be pumping on another thread: it must not touch the stream
            // before the listener is set (isReady() would throw), so both happen under the lock.
            stream.setWriteListener(this); // the container calls onWritePossible when it can take bytes
            out = stream;
        }
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
        schedule();
    }

    @Override
    public void close(CloseReason reason) {
        if (reason == CloseReason.EXPIRED) {
            synchronized (this) { // the last thing this response says: resume with a fresh token
                farewell = Event.error(Rejection.Code.UNAUTHORIZED, "token expired", null);
            }
        }
        finish();
    }

    private void finish() {
        synchronized (this) {
            finishing = true;
        }
        schedule();
    }

    private void heartbeat() {
        synchronized (this) {
            heartbeatDue = true;
        }
        schedule();
    }

    /** Runs {@link #pump} on a container thread, at most one pending at a time. */
    private void schedule() {
        if (ended.get() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            async.start(() -> {
                scheduled.set(false);
                pump();
            });
        } catch (IllegalStateException e) {
            scheduled.set(false); // the response already completed
        } catch (RuntimeException e) {
            scheduled.set(false); // the container's executor is shutting down: answer from here
            pump();
        }
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    /** Writes while the client can take bytes: prelude, queued events, heartbeats, then the end. */
    private synchronized void pump() {
        if (ended.get() || out == null) {
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
            LOG.log(Level.FINE, "write failed; ending response", e);
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

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException ignored) {
            // already completed
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-used
    }
}
