package io.realtimehub.core;

import java.util.List;

/** What a transport asks for when a client connects (or polls again), as {@code grant} allows. */
public record ConnectRequest(Grant grant, String transport, List<String> channels, String since,
                             boolean alwaysWelcome) {
    /** A request with every permission (tests, a hub without authentication). */
    public ConnectRequest(String client, String transport, List<String> channels, String since,
                          boolean alwaysWelcome) {
        this(Grant.open(client), transport, channels, since, alwaysWelcome);
    }

    public String client() {
        return grant.client();
    }

    /** Refuses (403) channels the grant may not subscribe to. */
    public void checkAllowed() {
        channels.forEach(grant::checkSubscribe);
    }
}
