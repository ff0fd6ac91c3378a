package io.realtimehub.transport;

import io.realtimehub.core.Rejection;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbacksAndOriginsTest {
    @Test
    void acceptsDottedJavaScriptNames() {
        for (String ok : new String[]{"cb", "$", "_x1", "parent.hub.on", "a.b.c.d"}) {
            assertEquals(ok, Callbacks.require(ok));
        }
    }

    @Test
    void rejectsCallbacksWithScript() {
        for (String bad : new String[]{"", "1a", "a.b.c.d.e", "alert(1)", "a;b", "a[0]", "</script>", "a..b",
                "x".repeat(65), "a b", null}) {
            assertEquals(Rejection.Code.BAD_REQUEST, assertThrows(Rejection.class, () -> Callbacks.require(bad)).code());
        }
    }

    @Test
    void defaultAllowsSameOriginAndLocalhostOnly() {
        var origins = new Origins(null);
        assertTrue(origins.allows(null, "hub.example:8080"));
        assertTrue(origins.allows("http://hub.example:8080", "hub.example:8080"));
        assertTrue(origins.allows("https://hub.example", "hub.example"));
        assertTrue(origins.allows("http://localhost:3000", "hub.example"));
        assertTrue(origins.allows("http://127.0.0.1:8080", "hub.example"));
        assertFalse(origins.allows("http://evil.example", "hub.example"));
        assertFalse(origins.allows("null", "hub.example"));
        assertFalse(origins.allows("http://hub.example.evil.com", "hub.example"));
    }

    @Test
    void configuredListReplacesLocalhost() {
        var origins = new Origins("https://app.example.com, https://other.example");
        assertTrue(origins.allows("https://app.example.com", "hub.example"));
        assertTrue(origins.allows("https://APP.example.com/", "hub.example"));
        assertFalse(origins.allows("http://localhost:3000", "hub.example"));
        assertTrue(new Origins("*").allows("http://anything.example", "hub.example"));
    }
}
