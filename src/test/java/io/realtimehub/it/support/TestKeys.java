package io.realtimehub.it.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The resume keys of the test nodes. Every node the tests start runs with {@link #SECRET} as
 * {@code hub.secret} (the IT container's default context, the cluster ITs' nodes), so a test that
 * chooses its own client id mints the id's key as a back-end holding the secret would: the
 * server's own derivation.
 */
public final class TestKeys {
    /** The tests' hub.secret; the IT container's context.xml.default repeats it (TestKeysTest checks it). */
    public static final String SECRET = "realtime-hub-it-secret-not-for-production-0001";

    private TestKeys() {
    }

    /** The key of {@code clientId} on the test nodes ({@link #SECRET}). */
    public static String key(String clientId) {
        return key(SECRET, clientId);
    }

    /** base64url without padding of HMAC-SHA256(hubSecret, "resume:" + id), first 22 characters. */
    public static String key(String hubSecret, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hubSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("resume:" + clientId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code client=ID&key=KEY} for a query string. */
    public static String query(String clientId) {
        return "client=" + Http.encode(clientId) + "&key=" + key(clientId);
    }
}
