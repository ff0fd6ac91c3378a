package io.realtimehub.core;

/**
 * How presence scales and how fast it notices a client has gone.
 *
 * @param cap           members (cluster-wide) up to which a channel gets each {@code join} and
 *                      {@code leave}; above it, members get a {@code presence} count summary instead
 * @param summaryMillis how often, at most, a channel above the cap gets a summary (only when its
 *                      count changed)
 * @param graceMillis   how long a client whose connection ended may take to come back (on any node)
 *                      before it leaves; a long-poll client gets its poll timeout on top
 */
public record PresenceSettings(int cap, long summaryMillis, long graceMillis) {

    static PresenceSettings from(HubSettings.Reader get) {
        return new PresenceSettings(
                get.integer("hub.presence.cap", 100, 0),
                get.integer("hub.presence.summary", 5, 1) * 1000L,
                get.integer("hub.presence.grace", 3, 0) * 1000L);
    }
}
