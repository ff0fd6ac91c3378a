package io.realtimehub.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes this node hears beating through the relay, itself included. A node is silent when
 * no beat came from it for {@code missedBeats} beats; silence is judged only while this node
 * hears its own beats, because otherwise the relay, not the other node, is what failed.
 */
final class NodeWatch {
    private final String self;
    private final long beatMillis;
    private final long silentMillis;
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private long nextBeat;

    NodeWatch(String self, long beatMillis, int missedBeats) {
        this.self = self;
        this.beatMillis = beatMillis;
        this.silentMillis = beatMillis * missedBeats;
    }

    /** Records a sign of life; true when {@code node} was not known (new, or back from silence). */
    boolean heard(String node, long now) {
        return lastHeard.put(node, now) == null;
    }

    /** Starts every node's silence clock again (after this node's own relay outage). */
    void restart(long now) {
        lastHeard.replaceAll((node, last) -> now);
    }

    synchronized boolean beatDue(long now) {
        if (now < nextBeat) {
            return false;
        }
        nextBeat = now + beatMillis;
        return true;
    }

    /** The nodes that went silent since the last call; they are forgotten here. */
    List<String> silent(long now) {
        Long own = lastHeard.get(self);
        if (own == null || now - own > silentMillis) {
            return List.of();
        }
        List<String> gone = lastHeard.entrySet().stream()
                .filter(e -> !e.getKey().equals(self) && now - e.getValue() > silentMillis)
                .map(Map.Entry::getKey).toList();
        gone.forEach(lastHeard::remove);
        return gone;
    }

    /** Whether this node speaks for the cluster: the first by name among the nodes it hears. */
    boolean leads() {
        return lastHeard.keySet().stream().allMatch(node -> self.compareTo(node) <= 0);
    }
}
