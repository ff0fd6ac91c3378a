package io.realtimehub.it.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.realtimehub.it.auth.Tokens.Claims;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens verified with one PEM public key ({@code hub.auth.jwt.publicKey}, an RSA key written by this
 * test into target/): RS256 tokens it signs are accepted, tokens of another key are 401.
 */
class PublicKeyIT extends AuthItBase {
    static final RSAKey KEY = generate();

    @Deployment(testable = false)
    static WebArchive deployment() throws JOSEException {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(KEY.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = targetFile("auth-it-public-key.pem", pem);
        return war("pem.war", params("hub.auth.jwt.publicKey", file.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "iframe"})
    void acceptsTokensOfTheKeyAndRefusesOthers(String transport) throws Exception {
        String channel = channel("pem");
        String sub = channel("u");
        Claims claims = Claims.of(sub, List.of(channel), List.of());
        Client c = live(withToken(client(transport, channel), Tokens.rs256(KEY, claims)), channel);
        assertEquals(sub, c.client(), c.events().toString());
        attemptWithToken(transport, channel, Tokens.rs256(generate(), claims))
                .assertRefused(401, "unauthorized: ", transport + " with a token of another key");
        attemptWithToken(transport, channel, Tokens.hs256(JWT_SECRET, claims))
                .assertRefused(401, "unauthorized: ", transport + " with an HS256 token");
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
