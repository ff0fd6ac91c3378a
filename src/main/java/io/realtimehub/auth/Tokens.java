package io.realtimehub.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies JSON Web Tokens with nimbus-jose-jwt: HS256 with a shared secret, or RS256/ES256 with
 * a PEM public key or a JWKS file. A valid token names the client ({@code sub}), when it expires
 * ({@code exp}) and the channel patterns it may subscribe to ({@code subscribe}) and publish on
 * ({@code publish}). Anything else is a 401 with a reason, never an exception.
 */
public final class Tokens {
    /** What a valid token says. {@code expiresAtMillis} is 0 when it has no {@code exp}. */
    public record Claims(String subject, long expiresAtMillis, List<String> subscribe, List<String> publish) {
    }

    private static final int MAX_TOKEN_CHARS = 8192;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public Tokens(AuthSettings.JwtSettings settings) {
        JWKSource<SecurityContext> keys;
        Set<JWSAlgorithm> algorithms;
        if (settings.secret() != null) {
            byte[] secret = settings.secret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("hub.auth.jwt.secret must be at least 32 bytes for HS256");
            }
            keys = new ImmutableSecret<>(secret);
            algorithms = Set.of(JWSAlgorithm.HS256);
        } else {
            keys = new ImmutableJWKSet<>(settings.jwksFile() != null ? loadJwks(settings.jwksFile())
                    : new JWKSet(publicKey(settings.publicKeyFile())));
            algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        JWTClaimsSet exact = settings.issuer() == null ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(settings.issuer()).build();
        var verifier = new DefaultJWTClaimsVerifier<SecurityContext>(settings.audience(), exact, Set.of("sub"));
        verifier.setMaxClockSkew(0); // a token is refused from the moment a live connection is closed for it
        processor.setJWTClaimsSetVerifier(verifier);
    }

    /** The claims of a valid token; a {@link Rejection} (401) naming what is wrong otherwise. */
    public Claims verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw Rejection.unauthorized("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw Rejection.unauthorized("token is not a JWT");
        } catch (BadJWTException e) {
            throw Rejection.unauthorized(e.getMessage() != null && e.getMessage().contains("xpired")
                    ? "token expired" : "token refused: " + e.getMessage());
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw Rejection.unauthorized("token signature or algorithm not accepted");
        }
        String subject = claims.getSubject();
        if (!Names.isClient(subject)) {
            throw Rejection.unauthorized("token sub must match [A-Za-z0-9_-]{1,64}");
        }
        Date exp = claims.getExpirationTime();
        return new Claims(subject, exp == null ? 0 : exp.getTime(), list(claims, "subscribe"), list(claims, "publish"));
    }

    private static List<String> list(JWTClaimsSet claims, String name) {
        try {
            List<String> values = claims.getStringListClaim(name);
            return values == null ? List.of() : values;
        } catch (ParseException e) {
            throw Rejection.unauthorized("token claim " + name + " must be an array of channel patterns");
        }
    }

    private static JWKSet loadJwks(String file) {
        try {
            return JWKSet.load(new File(file));
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("hub.auth.jwt.jwks: cannot read a JWKS from " + file + ": " + e.getMessage(), e);
        }
    }

    /** A PEM {@code PUBLIC KEY} (RSA, or EC on P-256/P-384/P-521) as a JWK. */
    static JWK publicKey(String file) {
        try {
            String pem = Files.readString(Path.of(file));
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            var spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
            PublicKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePublic(spec);
            } catch (GeneralSecurityException notRsa) {
                key = KeyFactory.getInstance("EC").generatePublic(spec);
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            ECPublicKey ec = (ECPublicKey) key;
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("hub.auth.jwt.publicKey: cannot read a PEM public key from " + file
                    + ": " + e.getMessage(), e);
        }
    }
}
