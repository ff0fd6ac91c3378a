package repro;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * UT005088 without the hub (README "WildFly"; run.sh): one suspended response written with Servlet
 * non-blocking I/O, nothing else. The client reads the first line and goes away.
 * <ul>
 * <li>{@code ?write=app}: a thread of the application writes a line and flushes every 50 ms (after
 * {@code isReady()}), as a stream's heartbeat does, and completes the response when a write fails
 * ({@code &complete=no}: does not complete it);
 * <li>{@code ?write=container}: every write and flush inside {@code onWritePossible}, on the
 * container's thread, until {@code isReady()} is false;
 * <li>{@code ?write=poll}: a poll's answer, one write, flush and complete from the application's
 * thread 500 ms later, after its client has gone;
 * <li>{@code ?write=finish}: a first line written and flushed from the application's thread, and 500 ms
 * later, after the client has gone, a last line written and the response completed at once (no flush), as
 * a stream's end is.
 * </ul>
 */
@WebServlet(urlPatterns = "/stream", asyncSupported = true)
public class ReproServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ReproServlet.class.getName());
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();
    private static final byte[] LINE = "data\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String write = req.getParameter("write");
        boolean completeOnFailure = !"no".equals(req.getParameter("complete"));
        resp.setContentType("text/plain");
        AsyncContext async = req.startAsync();
        async.setTimeout(60_000);
        ServletOutputStream out = resp.getOutputStream();
        out.setWriteListener(new WriteListener() {
            private volatile boolean started;

            @Override
            public void onWritePossible() throws IOException {
                if ("container".equals(write)) {
                    while (out.isReady()) {
                        out.write(LINE);
                        out.flush();
                    }
                } else if (!started) {
                    started = true;
                    if ("finish".equals(write)) {
                        TIMER.execute(this::first);
                    } else {
                        boolean poll = "poll".equals(write);
                        TIMER.schedule(poll ? this::answer : this::tick, poll ? 500 : 0, TimeUnit.MILLISECONDS);
                    }
                }
            }

            private void tick() {
                try {
                    if (out.isReady()) {
                        out.write(LINE);
                        out.flush();
                    }
                    TIMER.schedule(this::tick, 50, TimeUnit.MILLISECONDS);
                } catch (IOException | RuntimeException e) {
                    LOG.info("write failed on " + Thread.currentThread().getName() + ": " + e);
                    if (completeOnFailure) {
                        try {
                            async.complete();
                        } catch (IllegalStateException alreadyCompleted) {
                            // Undertow completed it itself
                        }
                    }
                }
            }

            private void first() {
                try {
                    out.write(LINE);
                    out.flush();
                    TIMER.schedule(this::last, 500, TimeUnit.MILLISECONDS);
                } catch (IOException | RuntimeException e) {
                    LOG.info("first line failed: " + e);
                }
            }

            private void last() {
                try {
                    if (out.isReady()) {
                        out.write(LINE);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.info("last line failed: " + e);
                }
                async.complete();
            }

            private void answer() {
                try {
                    out.write(LINE);
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    LOG.info("poll answer failed: " + e);
                }
                async.complete();
            }

            @Override
            public void onError(Throwable t) {
                LOG.info("onError on " + Thread.currentThread().getName() + ": " + t);
                async.complete();
            }
        });
    }
}
