package io.realtimehub.transport;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A suspended response as a container would hold it, faked: the output stream takes bytes only
 * while {@link #ready} (the test then plays the container's {@code onWritePossible} with
 * {@link #writePossible}), refuses {@code isReady()} before its listener is set, and counts
 * callers that overlap ({@link #overlaps}: a container's stream is not thread-safe).
 * {@link AsyncContext#start} fails the test: the connection must not need it (a container may run
 * such a task after the response completed).
 */
final class FakeAsync {
    final List<AsyncListener> listeners = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile boolean ready = true;
    /** When above 0: the client's window fills after this many writes (ready turns false), as a socket's does. */
    volatile int writesPerWindow;
    private int writesInWindow;
    volatile boolean completed;
    volatile int flushes;
    final java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
    private WriteListener writeListener;

    final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            if (writeListener == null) {
                throw new IllegalStateException("isReady() before setWriteListener()");
            }
            enter();
            try {
                return ready && !completed;
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            writeListener = listener;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            enter();
            try {
                if (!ready || completed) {
                    throw new IllegalStateException("write while not ready (or after complete)");
                }
                synchronized (body) {
                    body.write(bytes, off, len);
                }
                if (writesPerWindow > 0 && ++writesInWindow >= writesPerWindow) {
                    writesInWindow = 0;
                    ready = false;
                }
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void flush() {
            enter();
            flushes++;
            inside.decrementAndGet();
        }
    };

    final AsyncContext context = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "addListener" -> {
                    listeners.add((AsyncListener) args[0]);
                    yield null;
                }
                case "start" -> throw new AssertionError("AsyncContext.start() is not portable");
                case "complete" -> {
                    if (completed) {
                        throw new IllegalStateException("already completed");
                    }
                    completed = true;
                    for (AsyncListener l : listeners) {
                        l.onComplete(null);
                    }
                    yield null;
                }
                case "getResponse" -> response();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
            });

    private ServletResponse response() {
        return (ServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ServletResponse.class},
                (proxy, method, args) -> method.getName().equals("getOutputStream") ? out : null);
    }

    private void enter() {
        if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        Thread.yield(); // widen the window for an overlapping caller
    }

    /** The client can take bytes again: the container calls the write listener. */
    void writePossible() throws java.io.IOException {
        ready = true;
        writeListener.onWritePossible();
    }

    String text() {
        synchronized (body) {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
