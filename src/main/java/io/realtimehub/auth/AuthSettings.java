package io.realtimehub.auth;

import io.realtimehub.core.ChannelRule;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Authentication settings, every one optional: with none the hub takes anonymous clients, each
 * proving its session with a resume key signed by {@code hub.secret}.
 *
 * @param secret          the cluster secret resume keys are signed with; random per node when unset
 * @param secretShared    whether {@code secret} came from the configuration (so every node has it)
 * @param publishKey      the back-end publish key ({@code Authorization: Bearer}), or null
 * @param jwt             token verification, or null when tokens are off
 * @param anonymous       whether a request without a token or login is taken
 * @param anonymousRules  what an anonymous client may subscribe to and publish on
 * @param roles           container role -> what its users may do; empty: a logged-in user may do anything
 */
public record AuthSettings(byte[] secret, boolean secretShared, String publishKey, JwtSettings jwt,
                           boolean anonymous, Rules anonymousRules, Map<String, Rules> roles) {

    /** Patterns of channels to subscribe to and publish on. */
    public record Rules(List<String> subscribe, List<String> publish) {
    }

    /** Where token keys come from (one of secret, publicKeyFile, jwksFile) and the claims checked. */
    public record JwtSettings(String secret, String publicKeyFile, String jwksFile, String issuer, String audience) {
    }

    public static AuthSettings from(Function<String, String> config) {
        String secret = blankToNull(config.apply("hub.secret"));
        byte[] bytes;
        if (secret != null) {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
        }
        JwtSettings jwt = new JwtSettings(blankToNull(config.apply("hub.auth.jwt.secret")),
                blankToNull(config.apply("hub.auth.jwt.publicKey")), blankToNull(config.apply("hub.auth.jwt.jwks")),
                blankToNull(config.apply("hub.auth.jwt.issuer")), blankToNull(config.apply("hub.auth.jwt.audience")));
        boolean tokens = jwt.secret() != null || jwt.publicKeyFile() != null || jwt.jwksFile() != null;
        String anonymous = blankToNull(config.apply("hub.auth.anonymous"));
        Map<String, Rules> roles = new LinkedHashMap<>();
        for (String role : ChannelRule.parse(config.apply("hub.auth.roles"))) {
            roles.put(role, rules(config, "hub.auth.role." + role, ""));
        }
        return new AuthSettings(bytes, secret != null, blankToNull(config.apply("hub.auth.publishKey")),
                tokens ? jwt : null, anonymous == null ? !tokens : Boolean.parseBoolean(anonymous),
                rules(config, "hub.auth.anonymous", "*"), Map.copyOf(roles));
    }

    private static Rules rules(Function<String, String> config, String prefix, String fallback) {
        return new Rules(patterns(config.apply(prefix + ".subscribe"), fallback),
                patterns(config.apply(prefix + ".publish"), fallback));
    }

    private static List<String> patterns(String value, String fallback) {
        return ChannelRule.parse(value == null ? fallback : value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** For the start-up log line: what proves identities here, no secret shown. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(jwt == null ? "tokens off" : "tokens " + (jwt.secret() != null ? "HS256"
                : jwt.publicKeyFile() != null ? "public key " + jwt.publicKeyFile() : "JWKS " + jwt.jwksFile()));
        out.append(anonymous ? ", anonymous clients with resume keys" : ", no anonymous clients");
        out.append(secretShared ? " (shared hub.secret)" : " (hub.secret unset: keys valid on this node only)");
        if (!roles.isEmpty()) {
            out.append(", roles ").append(String.join(",", roles.keySet()));
        }
        if (publishKey != null) {
            out.append(", back-end publish key set");
        }
        return out.toString();
    }
}
