package io.realtimehub.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;

/** HS256 tokens as an application's back end issues them for a hub with {@code hub.auth.jwt.secret}. */
public final class TestTokens {
    private TestTokens() {
    }

    /** A token for client {@code sub} that may subscribe to and publish on every channel, valid for {@code life}. */
    public static String mint(String secret, String sub, Duration life) {
        var claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + life.toMillis()))
                .claim("subscribe", List.of("*"))
                .claim("publish", List.of("*"))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
