package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTextTest {
    @Test
    void escapesEverythingThatCouldEndAScript() {
        String data = "{\"s\":\"</script><script>alert(1)</script>&\u2028\u2029\"}";
        assertEquals("{\"s\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026\\u2028\\u2029\"}",
                JsonText.encode(JsonText.parse(data)));
    }

    @Test
    void keepsNumbersAndStructureAsSent() {
        String data = "{\"lat\":51.53,\"lng\":-46.030,\"n\":[1,2.5e3,true,null,\"\\\"q\\\"\"],\"big\":12345678901234567890}";
        assertEquals(data.replace("2.5e3", "2.5E+3"), JsonText.encode(JsonText.parse(data)));
    }

    @Test
    void escapesControlCharacters() {
        assertEquals("\"a\\nb\\u0001\\t\\\\\"", JsonText.quote("a\nb\u0001\t\\"));
    }

    @Test
    void rejectsMalformedJsonAsBadRequest() {
        for (String bad : new String[]{"{", "{\"a\":}", "", "nul", "{\"a\":1}}"}) {
            assertEquals(Rejection.Code.BAD_REQUEST, assertThrows(Rejection.class, () -> JsonText.parse(bad)).code(), bad);
        }
    }

    @Test
    void rejectsAnythingButAnObjectWhereOneIsNeeded() {
        assertEquals(Rejection.Code.BAD_REQUEST, assertThrows(Rejection.class, () -> JsonText.parseObject("[1]")).code());
    }
}
