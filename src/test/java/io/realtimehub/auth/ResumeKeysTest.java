package io.realtimehub.auth;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key is the HMAC of its id, whether derived now, remembered, or derived again after the cache started over. */
class ResumeKeysTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static String hmac(String client) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("resume:" + client).getBytes(StandardCharsets.UTF_8))).substring(0, 22);
    }

    @Test
    void theSameKeyFirstLaterAndAfterTheCacheStartsOver() throws Exception {
        var keys = new ResumeKeys(SECRET);
        assertEquals(hmac("c1"), keys.key("c1"));
        assertEquals(hmac("c1"), keys.key("c1"), "remembered");
        for (int i = 0; i < 60_000; i++) {
            keys.key("flood-" + i);
        }
        assertEquals(hmac("c1"), keys.key("c1"), "after the cache started over");
        assertTrue(keys.matches("c1", hmac("c1")));
        assertFalse(keys.matches("c1", hmac("c2")));
        assertFalse(new ResumeKeys("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8))
                .matches("c1", hmac("c1")), "another secret, another key");
    }
}
