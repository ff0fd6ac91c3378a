package io.realtimehub.relay;

import io.realtimehub.core.Event;
import io.realtimehub.core.Rejection;
import io.realtimehub.core.Relay;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster relay over Artemis: every node holds a durable subscription to one topic and
 * receives every event there, its own included, each channel's in one order that is the same on
 * every node. Nodes do not publish to the topic directly (concurrent publishers would reach the
 * subscriptions in different orders): they send to the queue {@code <topic>.in}, grouped by
 * channel, and for each channel one node at a time, chosen by the broker, moves its events onto
 * the topic (see {@link ArtemisLink}).
 *
 * <p>One daemon thread per relay ("hub-artemis-relay") owns the JMS connections: it connects
 * (with backoff while the broker is away), performs every send, and closes. Callers only hand it
 * the event and get a stage the broker's confirmation completes, so no caller ever waits for the
 * broker, opens a connection, or keeps the client's Netty thread-locals (which Tomcat reports as
 * leaks at undeploy). While no connection is up, {@link #send} fails at once.
 */
public final class ArtemisRelay implements Relay {
    private static final Logger LOG = Logger.getLogger(ArtemisRelay.class.getName());
    /** Longest a send waits for the broker's confirmation before it fails as "unavailable" (checked every 250 ms). */
    private static final long SEND_TIMEOUT_MILLIS = 2_000;
    private static final long SWEEP_MILLIS = 250;
    private static final long STOP_TIMEOUT_MILLIS = 2_000;

    private final RelayFactories factories;
    private final ConnectionFactory factory;         // sends: the broker confirms each one
    private final ConnectionFactory consumerFactory; // consumers: no confirmation window (see ArtemisLink)
    private final boolean ownsFactory;
    private final RelayOptions options;
    private final String description;
    private final ArtemisInbound inbound;
    private final RelayWarnings warnings;
    private final Object stateLock = new Object();
    private final PendingSends pending = new PendingSends(SEND_TIMEOUT_MILLIS);

    private RelayThread worker; // set by start()
    private volatile Listener listener;
    private volatile ArtemisLink link;       // the open link, or null; assigned on the relay thread only
    private volatile boolean up;             // guarded by stateLock for writes
    private volatile boolean stopped;
    private boolean connectedBefore;         // relay thread only
    private final Backoff backoff = new Backoff(); // relay thread only
    private boolean retryLogged;             // relay thread only

    /**
     * A relay with its own connection factory for {@code brokerUrl} (e.g. {@code tcp://127.0.0.1:61616},
     * optionally with client parameters). The relay reconnects by itself, so the factory's own
     * reconnecting is switched off.
     */
    public ArtemisRelay(String brokerUrl, String user, String password, RelayOptions options) {
        this(RelayFactories.own(brokerUrl, user, password), options);
    }

    /**
     * A relay over a factory configured elsewhere (looked up from JNDI by the caller); the
     * factory stays open at {@link #stop}. If it reconnects by itself ({@code reconnectAttempts}
     * other than 0), the relay follows its failover events; otherwise the relay reconnects.
     * {@code source} names the factory in {@link #describe} (e.g. its JNDI name).
     */
    public ArtemisRelay(ConnectionFactory factory, String source, RelayOptions options) {
        this(factory, source, null, null, options);
    }

    /** The same, connecting as {@code user} (hub.relay.user; null: as the factory does). */
    public ArtemisRelay(ConnectionFactory factory, String source, String user, String password, RelayOptions options) {
        this(RelayFactories.given(factory, source, ArtemisClient.Credentials.of(user, password)), options);
    }

    private ArtemisRelay(RelayFactories factories, RelayOptions options) {
        this.factories = factories;
        this.factory = factories.sends();
        this.consumerFactory = factories.consumers();
        this.ownsFactory = factories.owned();
        this.options = options;
        this.description = factories.name() + " topic " + options.topic();
        this.inbound = new ArtemisInbound(options.topic());
        this.warnings = new RelayWarnings("relay " + description);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        inbound.start(listener);
        worker = new RelayThread("hub-artemis-relay");
        worker.execute(this::connect);
        worker.scheduleEvery(pending::sweep, SWEEP_MILLIS);
    }

    /** Relay thread: opens a link, or schedules the next try. */
    private void connect() {
        if (stopped || link != null) {
            return;
        }
        var steps = new OpenSteps();
        try {
            ArtemisLink opened = ArtemisLink.open(factory, consumerFactory, options, new LinkEvents(), steps);
            if (stopped) {
                opened.close();
                return;
            }
            link = opened;
            retryLogged = false;
            if (!opened.hasFailed()) { // if it failed already, the replace() queued behind us reconnects
                changeState(true, connectedBefore ? "reconnected to " : "connected to ",
                        " (" + backoff.outage(connectedBefore) + ", open " + steps + ")");
            }
            backoff.reset();
            connectedBefore = true;
        } catch (JMSException | RuntimeException e) {
            if (stopped) {
                return;
            }
            if (!retryLogged) {
                LOG.info(() -> "relay " + description + ": broker unreachable (" + e + "); retrying every "
                        + Backoff.MAX_MILLIS / 1000.0 + " s at most");
                retryLogged = true;
            } else {
                LOG.log(Level.FINE, e, () -> "relay connect failed " + steps);
            }
            worker.schedule(this::connect, backoff.next());
        }
    }

    /** Relay thread: drops a failed link and reconnects. */
    private void replace(ArtemisLink failed, Exception cause) {
        if (link != failed) {
            return; // already replaced
        }
        link = null;
        backoff.reset(); // the outage starts: fast tries while a backup may be taking over
        changeState(false, "lost the broker: ", ": " + cause);
        failed.close();
        connect();
    }

    /**
     * Going down, sends fail first and the listener hears after; coming up, the listener hears
     * first, so whoever sees {@link #isUp} true knows the listener was told.
     */
    private void changeState(boolean nowUp, String what, String detail) {
        synchronized (stateLock) {
            if (up == nowUp || (nowUp && stopped)) {
                return;
            }
            if (!nowUp) {
                up = false;
            }
            LOG.info("relay " + what + description + (detail == null ? "" : detail));
            Listener target = listener;
            if (target != null && !stopped) {
                target.onRelayState(nowUp);
            }
            if (nowUp) {
                up = true;
            }
        }
    }

    @Override
    public CompletionStage<Void> send(Event event) {
        ArtemisLink current = link;
        if (stopped) {
            return CompletableFuture.failedFuture(Rejection.unavailable("relay stopped"));
        }
        if (current == null || !up) {
            return CompletableFuture.failedFuture(Rejection.unavailable("relay down: no connection to the message broker"));
        }
        CompletableFuture<Void> done = pending.begin();
        String group = event.isChannelEvent() ? event.channel() : ArtemisLink.NODES_GROUP;
        boolean handedOver = worker.execute(() -> {
            if (!done.isDone()) { // not timed out already
                current.publish(event.json(), group, options.node(), done);
            }
        });
        if (!handedOver) {
            done.completeExceptionally(Rejection.unavailable("relay stopped"));
        }
        // A broker's failure (a JMSException) reaches the publisher as "unavailable", with no detail.
        return done.exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof Rejection ? e
                : Rejection.unavailable("relay send failed; try again shortly")));
    }

    @Override
    public boolean isUp() {
        return up && !stopped;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        synchronized (stateLock) {
            up = false;
        }
        inbound.stop();
        if (worker == null) { // never started
            factories.close();
            return;
        }
        worker.execute(() -> { // on the relay thread: the client's thread-locals stay off the caller's
            ArtemisLink current = link;
            link = null;
            if (current != null) {
                current.close();
            }
            factories.close();
        });
        worker.shutdown(); // pending reconnect attempts are dropped, the close above still runs
        boolean closed = worker.await(200);
        if (!closed && ownsFactory) {
            factories.close(); // ends a connection attempt blocked in the client library
        }
        closed = closed || worker.await(STOP_TIMEOUT_MILLIS);
        if (!closed) {
            LOG.warning("relay " + description + ": closing the connection took over "
                    + STOP_TIMEOUT_MILLIS + " ms; abandoning it");
            worker.shutdownNow();
            factories.close();
        }
        pending.failAll("relay stopped");
        LOG.info("relay stopped: " + description);
    }

    /** Link callbacks, on JMS client threads. */
    private final class LinkEvents implements ArtemisLink.Events {
        @Override
        public void received(ArtemisLink from, Message message) {
            inbound.deliver(message);
        }

        @Override
        public String admit(String body) {
            Listener target = listener;
            if (target == null) {
                throw new IllegalStateException("relay stopped");
            }
            return target.admit(body);
        }

        @Override
        public void exclusive(String queue) {
            warnings.exclusive(queue);
        }

        @Override
        public void refused(String reason) {
            warnings.refused(reason);
        }

        @Override
        public void interrupted(ArtemisLink from) {
            if (from == link) {
                changeState(false, "lost the broker: ", null);
            }
        }

        @Override
        public void resumed(ArtemisLink from) {
            if (from == link) {
                changeState(true, "reconnected to ", null);
            }
        }

        @Override
        public void failed(ArtemisLink from, Exception cause) {
            from.markFailed(); // it may not be installed yet: connect() checks this flag
            if (stopped) {
                return;
            }
            if (from == link) {
                changeState(false, "lost the broker: ", ": " + cause); // at once: sends fail from now on
            }
            worker.execute(() -> replace(from, cause)); // refused only while stopping
        }
    }
}
