package io.realtimehub.core;

/**
 * Who a request is and what it may do, as the node's authentication decided ({@code auth}):
 * the client id it proved (or null: a new client, the hub assigns one), the secret resume key the
 * welcome hands out (null when a token or the container's login proves the identity), the
 * channels it may subscribe to and publish on, and when its credential expires.
 *
 * @param client           the proven public client id, or null for a new anonymous client
 * @param key              the secret resume key the welcome hands out; null when another credential proves the id
 * @param expiresAtMillis  when the credential stops being valid (epoch ms); 0 for never
 * @param rateLimited      false for a trusted back-end, which the per-publisher limit does not apply to
 */
public record Grant(String client, String key, ChannelRule subscribe, ChannelRule publish,
                    long expiresAtMillis, boolean rateLimited) {

    /** Anyone, everywhere: the identity of tests and of a hub without authentication. */
    public static Grant open(String client) {
        return new Grant(client, null, ChannelRule.ALL, ChannelRule.ALL, 0, true);
    }

    public boolean expired(long nowMillis) {
        return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
    }

    /** Refuses (401) a credential that expired by {@code nowMillis}. */
    void checkNotExpired(long nowMillis) {
        if (expired(nowMillis)) {
            throw Rejection.unauthorized("token expired");
        }
    }

    /** Refuses (403) a channel this identity may not subscribe to. */
    void checkSubscribe(String channel) {
        if (!subscribe.allows(channel)) {
            throw Rejection.forbidden("not allowed to subscribe to " + channel);
        }
    }

    /** Refuses (403) a channel this identity may not publish on. */
    void checkPublish(String channel) {
        if (!publish.allows(channel)) {
            throw Rejection.forbidden("not allowed to publish on " + channel);
        }
    }

}
