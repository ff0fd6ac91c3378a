package io.realtimehub.it.auth;

import io.realtimehub.it.auth.Tokens.Claims;
import io.realtimehub.it.support.Http;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token that expires on a live connection (issue 12): the server ends the connection at {@code exp}
 * (WebSocket close 4001, an {@code unauthorized} error event ending a stream, a held poll answered and
 * the next one refused 401) but not the session: the client comes back with a fresh token and
 * {@code since} and gets every event published meanwhile exactly once, in order.
 */
class TokenRefreshIT extends AuthItBase {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return tokenWar("refresh.war");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void anExpiringTokenEndsTheConnectionAndAFreshOneResumesWithoutLossOrDuplicates(String transport) throws Exception {
        String channel = channel("exp");
        String sub = channel("u");
        // an iframe is recycled every 4 s here (hub.iframe.maxAge): expire well before its first recycle,
        // as the server checks expiry once a second
        Instant exp = Tokens.secondsFromNow(transport.equals("iframe") ? 1 : 3);
        String shortToken = Tokens.hs256(JWT_SECRET, new Claims(sub, exp, List.of(channel), List.of()));
        String observerToken = Tokens.hs256(JWT_SECRET, Claims.of(channel("obs"), List.of(channel), List.of()));
        Client observer = live(withToken(client("websocket", channel), observerToken), channel);
        Client first = live(withToken(client(transport, channel), shortToken), channel);
        observer.await(e -> TakeoverIT.isPresence(e, "join", sub), WAIT);

        try (var publisher = new Publisher(channel)) {
            publisher.awaitAccepted(3);
            Client.End end = first.awaitEnd(Duration.between(Instant.now(), exp).plusSeconds(4));
            long endedAt = System.currentTimeMillis();
            assertTrue(endedAt >= exp.toEpochMilli() - 1000, transport + " ended " + (exp.toEpochMilli() - endedAt)
                    + " ms before exp: " + end);
            // the server checks expiry once a second
            assertTrue(endedAt <= exp.toEpochMilli() + 2000, transport + " ended " + (endedAt - exp.toEpochMilli())
                    + " ms after exp: " + end);
            switch (transport) {
                case "websocket" -> {
                    assertEquals(4001, end.code(), end.toString());
                    assertEquals("token expired", end.reason(), end.toString());
                }
                case "iframe", "sse" -> {
                    JsonObject error = first.awaitType("error", Duration.ZERO);
                    assertEquals("unauthorized", error.getString("code"), error.toString());
                    assertEquals("token expired", error.getString("message"), error.toString());
                    assertEquals(200, end.code(), "the stream ends after the error event: " + end);
                }
                default -> {
                    assertEquals(401, end.code(), "the poll after expiry: " + end);
                    assertTrue(end.reason().startsWith("unauthorized: token expired"), end.toString());
                }
            }
            attemptWithToken(transport, channel, shortToken)
                    .assertRefused(401, "unauthorized: token expired", transport + " again with the expired token");

            // events go on being published while the client is away; then it comes back
            publisher.awaitAccepted(publisher.accepted().size() + 3);
            String freshToken = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of(channel), List.of()));
            Client second = withToken(client(transport, channel), freshToken).since(first.lastId()).start();
            int before = publisher.accepted().size();
            second.await(e -> "message".equals(Client.type(e))
                    && publisher.accepted().indexOf(e.getString("id")) >= before + 3, WAIT);
            List<String> published = publisher.stop();
            String last = published.get(published.size() - 1);
            message(second, last); // everything before it has come too

            if (second.events().stream().anyMatch(e -> "welcome".equals(Client.type(e)))) { // a poll resuming here gets none
                JsonObject welcome = second.awaitType("welcome", WAIT);
                assertEquals(sub, welcome.getString("client"), welcome.toString());
                assertTrue(welcome.getBoolean("resumed"), "since was not honoured: " + welcome);
            }
            List<String> got = Stream.concat(first.messages(channel).stream(), second.messages(channel).stream())
                    .map(e -> e.getString("id")).toList();
            assertEquals(published, got, transport + ": first connection " + first.messages(channel).size()
                    + " messages, second " + second.messages(channel).size() + ", " + published.size() + " published");
            assertTrue(second.events().stream().noneMatch(e -> "reset".equals(Client.type(e))), second.events().toString());
            message(observer, last);
            assertTrue(observer.events().stream().noneMatch(e -> TakeoverIT.isPresence(e, "leave", sub)),
                    "the session ended with the token: " + observer.events());
        }
    }

    /** With nothing to deliver, a poll held past {@code exp} is answered at expiry, not at its timeout (5 s here). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"poll", "jsonp"})
    void aHeldPollIsAnsweredAtExpiryAndTheNextOneRefused(String transport) throws Exception {
        String channel = channel("held");
        Instant exp = Tokens.secondsFromNow(2);
        String token = Tokens.hs256(JWT_SECRET, new Claims(channel("u"), exp, List.of(channel), List.of()));
        Client c = live(withToken(client(transport, channel), token), channel); // then it holds a poll, quiet channel
        long heldSince = System.currentTimeMillis();
        Client.End end = c.awaitEnd(Duration.between(Instant.now(), exp).plusSeconds(4));
        long endedAt = System.currentTimeMillis();
        assertEquals(401, end.code(), end.toString());
        assertTrue(end.reason().startsWith("unauthorized: token expired"), end.toString());
        assertTrue(endedAt <= exp.toEpochMilli() + 2000 && endedAt < heldSince + 5000, transport + " ended "
                + (endedAt - exp.toEpochMilli()) + " ms after exp, " + (endedAt - heldSince) + " ms after its poll was held");
    }

    /** A back-end publishing on one channel with the publish key, one event after another, until stopped. */
    final class Publisher implements AutoCloseable {
        private final List<String> ids = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile String failure;

        Publisher(String channel) {
            thread = new Thread(() -> {
                for (int n = 0; running; n++) {
                    Http.Response r = Http.postJson(base, "publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}",
                            "Authorization", "Bearer " + PUBLISH_KEY);
                    if (r.status() != 202) {
                        failure = r.toString();
                        return;
                    }
                    synchronized (ids) {
                        ids.add(r.json().getString("id"));
                        ids.notifyAll();
                    }
                    try {
                        Thread.sleep(20); // a steady stream of events, not a flood
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "auth-it-publisher");
            thread.setDaemon(true);
            thread.start();
        }

        List<String> accepted() {
            synchronized (ids) {
                return List.copyOf(ids);
            }
        }

        void awaitAccepted(int count) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (ids) {
                while (ids.size() < count && failure == null) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "only " + ids.size() + " of " + count + " publishes accepted in " + WAIT);
                    TimeUnit.NANOSECONDS.timedWait(ids, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
            assertEquals(null, failure, "a publish with the publish key was refused");
        }

        /** Stops after the publish in flight; every id accepted, in order. */
        List<String> stop() throws InterruptedException {
            running = false;
            thread.join(WAIT.toMillis());
            assertEquals(null, failure, "a publish with the publish key was refused");
            return accepted();
        }

        @Override
        public void close() {
            running = false;
        }
    }
}
