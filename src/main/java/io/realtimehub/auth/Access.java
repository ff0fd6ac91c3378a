package io.realtimehub.auth;

import io.realtimehub.core.ChannelRule;
import io.realtimehub.core.EventIds;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Decides who a request is and what it may do ({@link Grant}), from its {@link Credentials}, in
 * this order: a token (JWT), the container's login, else an anonymous client proving its session
 * with its resume key. Publishing also takes the back-end publish key. Knows nothing of HTTP.
 */
public final class Access {

    private final AuthSettings settings;
    private final ResumeKeys keys;
    private final Tokens tokens;

    public Access(AuthSettings settings) {
        this.settings = settings;
        this.keys = new ResumeKeys(settings.secret());
        this.tokens = settings.jwt() == null ? null : new Tokens(settings.jwt());
    }

    /** Everyone anonymous, nothing configured (tests, a hub without authentication). */
    public static Access open() {
        return new Access(AuthSettings.from(key -> null));
    }

    public AuthSettings settings() {
        return settings;
    }

    /**
     * Who a subscribing request is: a new anonymous client gets a fresh id and its key; a client
     * naming its id must bring that id's key (or a token or login that names it).
     */
    public Grant subscriber(Credentials credentials) {
        Grant known = authenticated(credentials);
        if (known != null) {
            return known;
        }
        if (credentials.client() == null) {
            String id = randomId();
            return anonymous(id, keys.key(id));
        }
        return anonymous(proven(credentials), credentials.key());
    }

    /**
     * Who a publish over HTTP is: with {@code backEnd} (only {@code POST /publish}), the back-end
     * publish key may publish anything, as any client or none, without rate limit; otherwise as
     * {@link #subscriber}, except that naming no client publishes anonymously (no {@code from}).
     */
    public Grant publisher(Credentials credentials, boolean backEnd) {
        if (backEnd && settings.publishKey() != null && credentials.bearer() != null && credentials.token() == null
                && MessageDigest.isEqual(settings.publishKey().getBytes(StandardCharsets.UTF_8),
                credentials.bearer().getBytes(StandardCharsets.UTF_8))) {
            return new Grant(credentials.client(), null, ChannelRule.ALL, ChannelRule.ALL, 0, false);
        }
        Grant known = authenticated(credentials);
        if (known != null) {
            return known;
        }
        return credentials.client() == null ? anonymous(null, null) : anonymous(proven(credentials), null);
    }

    /** The identity of a token or the container's login; null when neither is there. */
    private Grant authenticated(Credentials credentials) {
        String jwt = credentials.jwt();
        if (jwt != null) {
            if (tokens == null) {
                throw Rejection.unauthorized("tokens are not enabled on this hub");
            }
            Tokens.Claims claims = tokens.verify(jwt);
            String id = claims.subject();
            return new Grant(id, null, ChannelRule.of(claims.subscribe(), id), ChannelRule.of(claims.publish(), id),
                    claims.expiresAtMillis(), true);
        }
        if (credentials.principal() != null) {
            String id = clientIdOf(credentials.principal());
            if (settings.roles().isEmpty()) {
                return new Grant(id, null, ChannelRule.ALL, ChannelRule.ALL, 0, true);
            }
            List<String> subscribe = new ArrayList<>();
            List<String> publish = new ArrayList<>();
            for (Map.Entry<String, AuthSettings.Rules> role : settings.roles().entrySet()) {
                if (credentials.inRole() != null && credentials.inRole().test(role.getKey())) {
                    subscribe.addAll(role.getValue().subscribe());
                    publish.addAll(role.getValue().publish());
                }
            }
            return new Grant(id, null, ChannelRule.of(subscribe, id), ChannelRule.of(publish, id), 0, true);
        }
        if (!settings.anonymous()) {
            throw Rejection.unauthorized("a token is required");
        }
        return null;
    }

    /** The named client, once its key is checked. */
    private String proven(Credentials credentials) {
        String id = Names.clientOrNull(credentials.client());
        if (credentials.key() == null) {
            throw Rejection.forbidden("client " + id + " needs its key (the welcome's key)");
        }
        if (!keys.matches(id, credentials.key())) {
            throw Rejection.forbidden("key does not match client " + id);
        }
        return id;
    }

    private Grant anonymous(String id, String key) {
        AuthSettings.Rules rules = settings.anonymousRules();
        return new Grant(id, key, ChannelRule.of(rules.subscribe(), id), ChannelRule.of(rules.publish(), id), 0, true);
    }

    /** The login name as a client id: itself when it is one, else {@code u-} and a digest of it. */
    static String clientIdOf(String principal) {
        if (Names.isClient(principal)) {
            return principal;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
            return "u-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomId() {
        return EventIds.random(12);
    }
}
