package io.realtimehub.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A client's secret resume key: {@code base64url(HMAC-SHA256(secret, "resume:" + id))}, first 22
 * characters (128 bits). Any node with the same secret verifies it without state, so a client
 * resumes on any node; knowing the public id alone proves nothing.
 */
public final class ResumeKeys {
    private static final int LENGTH = 22;
    private final SecretKeySpec secret;
    /**
     * One initialized HMAC per thread: every poll and publish with a client id checks its key, and
     * {@code Mac.getInstance} + {@code init} per check (a provider lookup and a key schedule) was a
     * tenth of a long-poll node's CPU samples. {@code doFinal} leaves a Mac ready for the next use.
     */
    private final ThreadLocal<Mac> macs;

    public ResumeKeys(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * Keys already derived, by client id: a long-poll client presents its key on every poll, and the
     * key of an id never changes under one secret. Bounded: past {@link #CACHED} ids it starts over.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> derived = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 50_000;

    public String key(String client) {
        String key = derived.get(client);
        if (key == null) {
            byte[] digest = macs.get().doFinal(("resume:" + client).getBytes(StandardCharsets.UTF_8));
            key = Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, LENGTH);
            if (derived.size() >= CACHED) {
                derived.clear(); // ids made up by a flood of requests must not fill the heap
            }
            derived.put(client, key);
        }
        return key;
    }

    /** Whether {@code key} is {@code client}'s, compared in constant time. */
    public boolean matches(String client, String key) {
        return key != null && MessageDigest.isEqual(key(client).getBytes(StandardCharsets.US_ASCII),
                key.getBytes(StandardCharsets.UTF_8));
    }
}
