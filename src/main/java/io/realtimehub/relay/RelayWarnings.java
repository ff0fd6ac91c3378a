package io.realtimehub.relay;

import java.util.logging.Level;
import java.util.logging.Logger;

/** What a relay tells the operator about the broker's setup or its senders: each once, then quietly. */
final class RelayWarnings {
    private static final Logger LOG = Logger.getLogger(ArtemisRelay.class.getName());

    private final String who;
    private volatile boolean exclusive;
    private volatile boolean refused;

    RelayWarnings(String who) {
        this.who = who;
    }

    void exclusive(String queue) {
        if (!exclusive) {
            exclusive = true;
            LOG.warning(who + ": queue " + queue + " is exclusive (made by an older version), so one node orders"
                    + " every channel and its death stalls them all. Delete it while no node runs (it is"
                    + " recreated shared, grouped by channel).");
        }
    }

    /** A message on the ingress queue was refused: nobody to answer (a service sent it over JMS). */
    void refused(String reason) {
        Level level = refused ? Level.FINE : Level.WARNING;
        refused = true;
        LOG.log(level, () -> who + ": refused a message on the ingress queue: " + reason
                + (level == Level.WARNING ? " (further refusals are logged at FINE)" : ""));
    }
}
