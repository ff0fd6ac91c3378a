package io.realtimehub.it.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.realtimehub.it.auth.Tokens.Claims;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens verified with public keys from a JWKS file ({@code hub.auth.jwt.jwks}, written by this test
 * into target/): RS256 and ES256 tokens signed by a key of the set are accepted and their {@code sub}
 * is the client; tokens signed by another key, even under a known {@code kid}, or with HS256, are 401.
 */
class JwksIT extends AuthItBase {
    static final RSAKey RSA = generateRsa("rsa-1");
    static final ECKey EC = generateEc("ec-1");

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path jwks = targetFile("auth-it-jwks.json", new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString());
        return war("jwks.war", params("hub.auth.jwt.jwks", jwks.toString()));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"RS256,websocket", "RS256,poll", "ES256,sse", "ES256,jsonp"})
    void acceptsATokenSignedByAKeyOfTheSet(String alg, String transport) throws Exception {
        String channel = channel("jwks");
        String sub = channel("u");
        Claims claims = Claims.of(sub, List.of(channel), List.of(channel));
        String token = alg.equals("RS256") ? Tokens.rs256(RSA, claims) : Tokens.es256(EC, claims);
        Client c = live(withToken(client(transport, channel), token), channel);
        assertEquals(sub, c.client(), c.events().toString());

        Answer published = postPublish("{\"channel\":\"" + channel + "\",\"data\":\"" + alg + "\"}", "Authorization", "Bearer " + token);
        assertEquals(202, published.status(), published.toString());
        JsonObject message = c.awaitCount(e -> "message".equals(Client.type(e)), 1, WAIT).get(0);
        assertEquals(sub, message.getString("from"), message.toString());
        attemptWithToken(transport, channel("other"), token).assertRefused(403, "forbidden: ", "a channel outside subscribe");
    }

    @Test
    void refusesATokenSignedByAnotherKeyWith401() {
        String channel = channel("jwks");
        Claims claims = Claims.of(channel("u"), List.of("*"), List.of("*"));
        // same kid and algorithm, another private key
        String impostorRsa = Tokens.rs256(generateRsa(RSA.getKeyID()), claims);
        String impostorEc = Tokens.es256(generateEc(EC.getKeyID()), claims);
        String hs256 = Tokens.hs256(JWT_SECRET, claims);
        for (String transport : List.of("websocket", "poll")) {
            attemptWithToken(transport, channel, impostorRsa).assertRefused(401, "unauthorized: ", transport + " RS256 by another key");
            attemptWithToken(transport, channel, impostorEc).assertRefused(401, "unauthorized: ", transport + " ES256 by another key");
            attemptWithToken(transport, channel, hs256).assertRefused(401, "unauthorized: ", transport + " HS256 with no secret set");
            attemptWithToken(transport, channel, null).assertRefused(401, "unauthorized: ", transport + " without a token");
        }
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
