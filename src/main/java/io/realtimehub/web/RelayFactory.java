package io.realtimehub.web;

import io.realtimehub.core.HubSettings;
import io.realtimehub.core.Relay;
import io.realtimehub.relay.ArtemisRelay;
import io.realtimehub.relay.LocalRelay;
import io.realtimehub.relay.RelayOptions;
import jakarta.jms.ConnectionFactory;

import java.util.logging.Logger;

/**
 * Chooses the relay: Artemis through a JNDI ConnectionFactory when one is bound (the way an
 * application-server estate configures JMS), else Artemis at {@code hub.relay.url}, else the
 * single-node local relay.
 */
final class RelayFactory {
    static final String DEFAULT_JNDI_NAME = "java:comp/env/jms/HubConnectionFactory";
    private static final Logger LOG = Logger.getLogger(RelayFactory.class.getName());

    private RelayFactory() {
    }

    static Relay create(Config config, HubSettings settings) {
        var get = new HubSettings.Reader(config);
        var options = new RelayOptions(get.string("hub.relay.topic", RelayOptions.DEFAULT_TOPIC), settings.node(),
                get.bool("hub.relay.persistent", true),
                get.integer("hub.relay.retention", (int) (RelayOptions.DEFAULT_RETENTION_MILLIS / 1000), 1) * 1000L);
        String jndiName = get.string("hub.relay.jndi", DEFAULT_JNDI_NAME);
        if (config.lookupObject(jndiName) instanceof ConnectionFactory factory) {
            return new ArtemisRelay(factory, jndiName, get.string("hub.relay.user", null),
                    get.string("hub.relay.password", null), options);
        }
        String url = get.string("hub.relay.url", null);
        if (url != null) {
            return new ArtemisRelay(url, get.string("hub.relay.user", null), get.string("hub.relay.password", null), options);
        }
        LOG.info("no broker configured (hub.relay.url or " + jndiName + "): single node, local relay");
        return new LocalRelay();
    }
}
