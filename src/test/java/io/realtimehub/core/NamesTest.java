package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {
    @Test
    void acceptsTheProtocolsChannelNames() {
        assertTrue(Names.isChannel("map"));
        assertTrue(Names.isChannel("a.b:c-d_E9"));
        assertTrue(Names.isChannel("x".repeat(64)));
        assertFalse(Names.isChannel("x".repeat(65)));
        assertFalse(Names.isChannel(""));
        assertFalse(Names.isChannel("a b"));
        assertFalse(Names.isChannel("<script>"));
        assertFalse(Names.isChannel("caf\u00e9"));
    }

    @Test
    void acceptsTheProtocolsClientIds() {
        assertTrue(Names.isClient("c7f2_A-9"));
        assertFalse(Names.isClient("a.b"));
        assertFalse(Names.isClient("x".repeat(65)));
        assertNull(Names.clientOrNull(""));
        assertEquals(Rejection.Code.BAD_REQUEST, assertThrows(Rejection.class, () -> Names.clientOrNull("a/b")).code());
    }

    @Test
    void parsesChannelListsWithDefaultAndLimit() {
        assertEquals(List.of("map"), Names.channels(null, "map", 4));
        assertEquals(List.of("a", "b"), Names.channels("a, b,a", "map", 4));
        assertThrows(Rejection.class, () -> Names.channels("a,b,c", "map", 2));
        assertThrows(Rejection.class, () -> Names.channels("a,,b", "map", 4));
    }

    @Test
    void checksSince() {
        assertNull(Names.sinceOrNull(null));
        assertEquals("abc", Names.sinceOrNull("abc"));
        assertThrows(Rejection.class, () -> Names.sinceOrNull("x".repeat(129)));
    }
}
