package io.realtimehub.web;

import io.realtimehub.core.Event;
import io.realtimehub.core.Publication;
import io.realtimehub.core.Rejection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers a publish request once the relay has its event (or could not take it), without a
 * container thread waiting for the broker: the request goes asynchronous, and the answer is
 * written on a container thread when the relay's stage completes. When the stage is complete
 * already (the single-node relay), the answer is written at once.
 */
final class PublishAnswer {
    private static final Logger LOG = Logger.getLogger(PublishAnswer.class.getName());
    /** Longer than the relay's own send timeout, which always answers first. */
    private static final long ASYNC_TIMEOUT_MILLIS = 15_000;

    /** Writes the answer: {@code event} when accepted, else {@code refused}. */
    interface Writer {
        void write(HttpServletResponse response, Event event, Rejection refused) throws IOException;
    }

    private PublishAnswer() {
    }

    static void send(HttpServletRequest request, HttpServletResponse response, Publication publication, Writer writer)
            throws IOException {
        CompletableFuture<Event> accepted = publication.accepted().toCompletableFuture();
        if (accepted.isDone()) {
            write(response, accepted, writer);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(ASYNC_TIMEOUT_MILLIS);
        accepted.whenComplete((event, failure) -> async.start(() -> {
            try {
                write((HttpServletResponse) async.getResponse(), accepted, writer);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "publisher went away before its answer", e);
            } finally {
                async.complete();
            }
        }));
    }

    private static void write(HttpServletResponse response, CompletableFuture<Event> accepted, Writer writer)
            throws IOException {
        Event event;
        try {
            event = accepted.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause();
            writer.write(response, null, cause instanceof Rejection r ? r
                    : Rejection.unavailable("relay send failed; try again shortly"));
            return;
        }
        writer.write(response, event, null);
    }
}
