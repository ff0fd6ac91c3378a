package io.realtimehub.core;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Presence across the cluster. Joins and leaves travel through the relay like any event. On top
 * of that, nodes beat every few seconds; a node that starts (or whose relay comes back) says
 * hello and every node answers with its roster, so a late node knows everyone; and when a node
 * goes silent, the first node by name publishes one {@code leave} for each of its clients.
 */
final class ClusterPresence {
    private static final Logger LOG = Logger.getLogger(ClusterPresence.class.getName());

    private final String self;
    private final Presence presence = new Presence();
    private final NodeWatch watch;
    private final PresenceAnnouncer announcer;
    private final EventIds ids;
    private final Clock clock;
    private final Supplier<List<Presence.Membership>> localMembers;
    private volatile boolean helloDue;

    ClusterPresence(HubSettings settings, Relay relay, EventIds ids, Clock clock,
                    Supplier<List<Presence.Membership>> localMembers) {
        this.self = settings.node();
        this.watch = new NodeWatch(self, settings.beatMillis(), settings.missedBeats());
        this.announcer = new PresenceAnnouncer(relay);
        this.ids = ids;
        this.clock = clock;
        this.localMembers = localMembers;
    }

    /** Publishes a join or leave of a client of this node. */
    void announce(String type, String channel, String client, String transport) {
        announcer.send(Event.presence(type, ids.next(), channel, clock.millis(), client, transport, self));
    }

    /** Asks every node for its roster (and tells them this node is here). */
    void hello() {
        helloDue = false;
        announcer.sendOnce(Event.node(self, "hello")).exceptionally(refused -> {
            helloDue = true; // the next tick tries again
            return null;
        });
    }

    /**
     * Says hello on the next tick. The relay reports a state change on its own threads, where
     * sending cannot work yet.
     */
    void helloDue() {
        helloDue = true;
        // The others reconnect in their own time: do not judge them by the silence of the outage.
        watch.restart(clock.millis());
    }

    /** A join or leave delivered by the relay: what it changed. */
    Presence.Change apply(Event event) {
        return presence.apply(event);
    }

    /** A node message delivered by the relay. */
    void onControl(Event event) {
        String node = event.presenceField("node");
        if (node == null) {
            return;
        }
        boolean unknown = watch.heard(node, clock.millis());
        if (node.equals(self)) {
            return;
        }
        if (unknown) {
            LOG.info(() -> "node " + node + " joined the cluster");
        }
        if (Event.ROSTER.equals(event.type())) {
            presence.applyRoster(node, event.data().asJsonObject().get("members"));
            return;
        }
        if ("hello".equals(event.presenceField("kind"))) {
            announcer.sendOnce(Event.roster(self, localMembers.get()));
        }
        if (unknown) {
            hello(); // new, or back from silence (its clients were dropped here): ask for its roster
        }
    }

    /**
     * Beats, and leaves for the clients of nodes gone silent. Call every second or so. Silence
     * is judged only while {@code relayUp}: in an outage every node is silent.
     */
    void tick(boolean relayUp) {
        long now = clock.millis();
        if (helloDue) {
            hello();
        }
        if (watch.beatDue(now)) {
            announcer.sendOnce(Event.node(self, "beat"));
        }
        for (String node : relayUp ? watch.silent(now) : List.<String>of()) {
            List<Map.Entry<String, Presence.Member>> orphans = presence.ofNode(node);
            boolean leads = watch.leads();
            LOG.info(() -> "node " + node + " is silent: its " + orphans.size() + " memberships leave"
                    + (leads ? " (announced by this node)" : ""));
            if (leads) {
                for (Map.Entry<String, Presence.Member> orphan : orphans) {
                    Presence.Member member = orphan.getValue();
                    announcer.send(Event.presence(Event.LEAVE, ids.next(), orphan.getKey(), now,
                            member.client(), member.transport(), node));
                }
            }
        }
        announcer.retry();
    }

    List<Presence.Member> members(String channel) {
        return presence.members(channel);
    }

    int count(String channel) {
        return presence.count(channel);
    }

    Presence.Page page(String channel, String after, int limit) {
        return presence.page(channel, after, limit);
    }
}
