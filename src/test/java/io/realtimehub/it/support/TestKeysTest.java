package io.realtimehub.it.support;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IT container's hub.secret is the one TestKeys mints with; a key has the protocol's shape. */
class TestKeysTest {

    @Test
    void theItContainerRunsWithTheSecretTheTestsMintWith() throws IOException {
        try (InputStream in = TestKeysTest.class.getResourceAsStream("/arquillian.xml")) {
            assertNotNull(in, "arquillian.xml on the test classpath");
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("-Dhub.secret=" + TestKeys.SECRET + "\n"), "arquillian.xml passes -Dhub.secret=TestKeys.SECRET");
        }
        assertTrue(TestKeys.SECRET.length() >= 32);
    }

    @Test
    void aKeyIs22Base64UrlCharactersAndDependsOnTheId() {
        String key = TestKeys.key("alice");
        assertTrue(key.matches("[A-Za-z0-9_-]{22}"), key);
        assertEquals(key, TestKeys.key("alice"));
        assertTrue(!key.equals(TestKeys.key("alicf")));
    }
}
