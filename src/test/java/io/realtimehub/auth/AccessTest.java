package io.realtimehub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static Access access(Map<String, String> config) {
        return new Access(AuthSettings.from(config::get));
    }

    private static Credentials query(String client, String key, String token) {
        return new Credentials(client, key, token, null, null, role -> false);
    }

    @Test
    void anAnonymousClientGetsAnIdAndAKeyThatResumesItOnAnyNodeWithTheSameSecret() {
        Access node1 = access(Map.of("hub.secret", "cluster-secret"));
        Access node2 = access(Map.of("hub.secret", "cluster-secret"));
        Grant fresh = node1.subscriber(query(null, null, null));
        assertNotNull(fresh.client());
        assertEquals(22, fresh.key().length());
        Grant resumed = node2.subscriber(query(fresh.client(), fresh.key(), null));
        assertEquals(fresh.client(), resumed.client());
        assertTrue(resumed.subscribe().allows("map") && resumed.publish().allows("any.thing"));
    }

    @Test
    void knowingThePublicIdIsNotEnough() {
        Access access = access(Map.of("hub.secret", "cluster-secret"));
        Grant victim = access.subscriber(query(null, null, null));
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class,
                () -> access.subscriber(query(victim.client(), null, null))).code());
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class,
                () -> access.subscriber(query(victim.client(), "A".repeat(22), null))).code());
        assertEquals(Rejection.Code.FORBIDDEN, assertThrows(Rejection.class,
                () -> access.publisher(query(victim.client(), null, null), true)).code());
        Access otherSecret = access(Map.of("hub.secret", "another-secret"));
        assertThrows(Rejection.class, () -> otherSecret.subscriber(query(victim.client(), victim.key(), null)));
    }

    @Test
    void aBackEndCanMintTheKeyOfAnIdItChose() {
        Access access = access(Map.of("hub.secret", "cluster-secret"));
        String key = new ResumeKeys("cluster-secret".getBytes()).key("alice");
        assertEquals("alice", access.subscriber(query("alice", key, null)).client());
    }

    @Test
    void anonymousPublishingNamesNoClient() {
        Grant anonymous = Access.open().publisher(query(null, null, null), true);
        assertNull(anonymous.client());
        assertTrue(anonymous.rateLimited());
    }

    @Test
    void theBackEndPublishKeyPublishesAnywhereAsAnyoneWithoutRateLimit() {
        Access access = access(Map.of("hub.auth.publishKey", "pk-123", "hub.auth.jwt.secret", SECRET));
        Grant backEnd = access.publisher(new Credentials("server", null, null, "pk-123", null, r -> false), true);
        assertEquals("server", backEnd.client());
        assertTrue(backEnd.publish().allows("anything"));
        assertFalse(backEnd.rateLimited());
        // a wrong key is taken for a token, and refused as one
        assertEquals(Rejection.Code.UNAUTHORIZED, assertThrows(Rejection.class,
                () -> access.publisher(new Credentials(null, null, null, "pk-124", null, r -> false), true)).code());
        // only POST /publish takes the publish key
        assertEquals(Rejection.Code.UNAUTHORIZED, assertThrows(Rejection.class,
                () -> access.publisher(new Credentials(null, null, null, "pk-123", null, r -> false), false)).code());
    }

    @Test
    void hs256TokensNameTheClientAndItsChannels() throws JOSEException {
        Access access = access(Map.of("hub.auth.jwt.secret", SECRET));
        long exp = System.currentTimeMillis() / 1000 * 1000 + 60_000;
        String token = hs256(SECRET, "alice", new Date(exp), List.of("map", "room.*", "user.{sub}"), List.of("map"));
        Grant grant = access.subscriber(query("someone-else", null, token));
        assertEquals("alice", grant.client());
        assertNull(grant.key());
        assertEquals(exp, grant.expiresAtMillis());
        assertTrue(grant.subscribe().allows("room.1") && grant.subscribe().allows("user.alice"));
        assertFalse(grant.subscribe().allows("user.bob") || grant.subscribe().allows("other"));
        assertTrue(grant.publish().allows("map"));
        assertFalse(grant.publish().allows("room.1"));
    }

    @Test
    void tokensAreRefusedWhenForgedExpiredMissingOrBadWithAReason() throws JOSEException {
        Access access = access(Map.of("hub.auth.jwt.secret", SECRET));
        assertUnauthorized("a token is required", () -> access.subscriber(query(null, null, null)));
        assertUnauthorized("token signature or algorithm not accepted", () -> access.subscriber(query(null, null,
                hs256("ffffffffffffffffffffffffffffffff", "alice", null, List.of("*"), List.of()))));
        assertUnauthorized("token expired", () -> access.subscriber(query(null, null,
                hs256(SECRET, "alice", new Date(System.currentTimeMillis() - 2000), List.of("*"), List.of()))));
        assertUnauthorized("token is not a JWT", () -> access.subscriber(query(null, null, "not-a-token")));
        assertUnauthorized("token sub must match", () -> access.subscriber(query(null, null,
                hs256(SECRET, "a b", null, List.of("*"), List.of()))));
        Grant none = access.subscriber(query(null, null, hs256(SECRET, "carol", null, List.of(), List.of())));
        assertFalse(none.subscribe().allows("map"), "a missing claim allows nothing");
    }

    @Test
    void anonymousClientsAreTakenBesideTokensOnlyWhenConfigured() throws JOSEException {
        Access access = access(Map.of("hub.auth.jwt.secret", SECRET, "hub.auth.anonymous", "true",
                "hub.auth.anonymous.subscribe", "public.*", "hub.auth.anonymous.publish", ""));
        Grant anonymous = access.subscriber(query(null, null, null));
        assertTrue(anonymous.subscribe().allows("public.news"));
        assertFalse(anonymous.subscribe().allows("map") || anonymous.publish().allows("public.news"));
        assertEquals("alice", access.subscriber(query(null, null, hs256(SECRET, "alice", null, List.of("*"), List.of())))
                .client());
    }

    @Test
    void es256TokensVerifyAgainstAJwksFile(@TempDir Path dir) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        Access access = access(Map.of("hub.auth.jwt.jwks", jwks.toString(), "hub.auth.jwt.issuer", "https://idp"));
        var claims = new JWTClaimsSet.Builder().subject("dave").issuer("https://idp")
                .claim("subscribe", List.of("map")).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), claims);
        jwt.sign(new ECDSASigner(key));
        assertEquals("dave", access.subscriber(query(null, null, jwt.serialize())).client());
        var wrongIssuer = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("dave").issuer("https://evil").build());
        wrongIssuer.sign(new ECDSASigner(key));
        assertThrows(Rejection.class, () -> access.subscriber(query(null, null, wrongIssuer.serialize())));
    }

    @Test
    void es256TokensVerifyAgainstAPemPublicKey(@TempDir Path dir) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
                .encodeToString(key.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Access access = access(Map.of("hub.auth.jwt.publicKey", pem.toString()));
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder().subject("erin").build());
        jwt.sign(new ECDSASigner(key));
        assertEquals("erin", access.subscriber(query(null, null, jwt.serialize())).client());
        // an HS256 token signed with the public key's bytes must not pass (algorithm confusion)
        assertThrows(Rejection.class, () -> access.subscriber(query(null, null,
                hs256(new String(key.toECPublicKey().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .repeat(2), "erin", null, List.of("*"), List.of()))));
    }

    @Test
    void theContainersLoginIsTheIdentityAndItsRolesTheChannels() {
        Map<String, String> config = new HashMap<>(Map.of("hub.auth.roles", "staff,guest",
                "hub.auth.role.staff.subscribe", "*", "hub.auth.role.staff.publish", "*",
                "hub.auth.role.guest.subscribe", "map*"));
        Access access = access(config);
        Grant bob = access.subscriber(new Credentials(null, null, null, null, "bob", Set.of("guest")::contains));
        assertEquals("bob", bob.client());
        assertNull(bob.key());
        assertTrue(bob.subscribe().allows("map") && bob.subscribe().allows("map.2"));
        assertFalse(bob.subscribe().allows("staff-room") || bob.publish().allows("map"));
        Grant alice = access.subscriber(new Credentials(null, null, null, null, "alice@example.com",
                Set.of("staff")::contains));
        assertTrue(alice.client().startsWith("u-") && alice.publish().allows("x"));
        Grant nobody = access.subscriber(new Credentials(null, null, null, null, "eve", r -> false));
        assertFalse(nobody.subscribe().allows("map"));
    }

    private static void assertUnauthorized(String reason, org.junit.jupiter.api.function.Executable call) {
        Rejection refused = assertThrows(Rejection.class, call);
        assertEquals(Rejection.Code.UNAUTHORIZED, refused.code());
        assertTrue(refused.getMessage().startsWith(reason), refused.getMessage());
    }

    static String hs256(String secret, String sub, Date exp, List<String> subscribe, List<String> publish)
            throws JOSEException {
        var claims = new JWTClaimsSet.Builder().subject(sub).expirationTime(exp)
                .claim("subscribe", subscribe).claim("publish", publish).build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
