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
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A suspended response as a container would hold it, faked: {@link AsyncContext#start} queues
 * the work until the test runs it as the container's thread would ({@link #runContainer}), and
 * the output stream takes bytes only while {@link #ready} (the test then plays the container's
 * {@code onWritePossible} with {@link #writePossible}).
 */
final class FakeAsync {
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final List<AsyncListener> listeners = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile boolean ready = true;
    volatile boolean completed;
    int flushes;
    private WriteListener writeListener;

    final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            if (writeListener == null) {
                throw new IllegalStateException("isReady() before setWriteListener()");
            }
            return ready && !completed;
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
            if (!ready || completed) {
                throw new IllegalStateException("write while not ready (or after complete)");
            }
            synchronized (body) {
                body.write(bytes, off, len);
            }
        }

        @Override
        public void flush() {
            flushes++;
        }
    };

    final AsyncContext context = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "addListener" -> {
                    listeners.add((AsyncListener) args[0]);
                    yield null;
                }
                case "start" -> {
                    if (completed) {
                        throw new IllegalStateException("completed");
                    }
                    tasks.add((Runnable) args[0]);
                    yield null;
                }
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

    /** Runs what the connection asked the container to run, as its threads would. */
    void runContainer() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
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
