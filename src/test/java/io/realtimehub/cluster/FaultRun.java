package io.realtimehub.cluster;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing through a fault: one thread per node publishes round-robin on a few channels,
 * directly at its node, and records which events were accepted (202). What was refused or
 * unanswered (the node died, the broker was away) does not count; what was accepted must reach
 * every subscriber of its channel exactly once, in the one order of that channel.
 */
final class FaultRun {
    private final List<String> channels;
    private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    FaultRun(List<String> channels) {
        this.channels = channels;
        channels.forEach(c -> accepted.put(c, new CopyOnWriteArrayList<>()));
    }

    /** Starts one publisher per base URI, one event every {@code everyMillis}. */
    FaultRun start(List<URI> bases, long everyMillis) {
        for (URI base : bases) {
            Thread t = new Thread(() -> publish(base, everyMillis), "fault-publisher-" + base.getPort());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void publish(URI base, long everyMillis) {
        for (int i = 0; running.get() && i < 10_000; i++) {
            String channel = channels.get(i % channels.size());
            try {
                Http.Response r = ClusterItBase.postPublish(base, "pub-" + base.getPort(), channel,
                        "{\"n\":" + i + ",\"port\":" + base.getPort() + "}");
                if (r.status() == 202) {
                    accepted.get(channel).add(r.json().getString("id"));
                } else {
                    refusals.add(r.status() + " " + r.body().trim());
                }
            } catch (RuntimeException e) {
                refusals.add(String.valueOf(e)); // the node is gone: not accepted
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    List<String> accepted(String channel) {
        return List.copyOf(accepted.get(channel));
    }

    int acceptedCount() {
        return accepted.values().stream().mapToInt(List::size).sum();
    }

    List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * Waits until {@code c} has every accepted event of {@code channel}, then asserts: no event
     * twice, and the same order as {@code reference} (a client that saw the channel throughout).
     */
    void assertDelivered(HubClient c, String channel, List<String> reference) throws InterruptedException {
        List<String> want = accepted(channel);
        Processes.await(c.transport() + " client " + c.client() + " has all " + want.size() + " accepted events of "
                        + channel, ClusterItBase.WAIT, () -> ClusterItBase.messageIds(c, channel).containsAll(want));
        List<String> got = ClusterItBase.messageIds(c, channel);
        assertEquals(new LinkedHashSet<>(got).size(), got.size(),
                () -> c.transport() + " client " + c.client() + " got an event twice: " + got);
        if (reference != null) {
            List<String> ref = reference.stream().filter(got::contains).toList();
            assertEquals(ref, got.stream().filter(reference::contains).toList(),
                    c.transport() + " client " + c.client() + ": another order than the reference client's");
        }
        assertTrue(positionsIncrease(got, want), c.transport() + " client " + c.client()
                + ": one publisher's accepted events out of their order");
    }

    /** Events one publisher had accepted one after another arrive in that order. */
    private static boolean positionsIncrease(List<String> got, List<String> accepted) {
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < got.size(); i++) {
            position.put(got.get(i), i);
        }
        Map<String, Integer> lastByPublisher = new java.util.HashMap<>();
        for (String id : accepted) {
            String publisher = id.substring(id.lastIndexOf('-') + 1); // the node's run tag
            int p = position.get(id);
            Integer before = lastByPublisher.put(publisher, p);
            if (before != null && before > p) {
                return false;
            }
        }
        return true;
    }
}
