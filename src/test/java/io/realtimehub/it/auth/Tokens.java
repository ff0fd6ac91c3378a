package io.realtimehub.it.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * What a back-end holding the hub's secrets mints (auth spec, issue 12): JWTs with {@code sub},
 * {@code exp}, {@code subscribe} and {@code publish} claims, and anonymous resume keys.
 */
final class Tokens {
    private Tokens() {
    }

    /** The claims of one token; a null list leaves the claim out (which allows nothing). */
    record Claims(String sub, Instant exp, List<String> subscribe, List<String> publish) {
        static Claims of(String sub, List<String> subscribe, List<String> publish) {
            return new Claims(sub, Instant.now().plus(Duration.ofMinutes(10)), subscribe, publish);
        }

        Claims expiresAt(Instant at) {
            return new Claims(sub, at, subscribe, publish);
        }

        JWTClaimsSet set() {
            var builder = new JWTClaimsSet.Builder().issueTime(new Date());
            if (sub != null) {
                builder.subject(sub);
            }
            if (exp != null) {
                builder.expirationTime(Date.from(exp));
            }
            if (subscribe != null) {
                builder.claim("subscribe", subscribe);
            }
            if (publish != null) {
                builder.claim("publish", publish);
            }
            return builder.build();
        }
    }

    static String hs256(String secret, Claims claims) {
        try {
            return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS256), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(RSAKey key, Claims claims) {
        try {
            return sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, Claims claims) {
        try {
            return sign(new ECDSASigner(key), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSSigner signer, JWSHeader header, Claims claims) throws JOSEException {
        var jwt = new SignedJWT(header, claims.set());
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** An exp a few seconds ahead, on a whole second (exp is in seconds), at least {@code seconds} away. */
    static Instant secondsFromNow(int seconds) {
        return Instant.ofEpochSecond(Instant.now().getEpochSecond() + seconds + 1);
    }
}
