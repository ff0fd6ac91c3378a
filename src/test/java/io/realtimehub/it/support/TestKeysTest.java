package io.realtimehub.it.support;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IT container's hub.secret is the one TestKeys mints with; a key has the protocol's shape. */
class TestKeysTest {

    @Test
    void theItContainerRunsWithTheSecretTheTestsMintWith() throws IOException {
        String xml = Files.readString(Path.of("src/test/tomcat/conf/Catalina/localhost/context.xml.default"));
        String parameter = "<Parameter name=\"hub.secret\" value=\"" + TestKeys.SECRET + "\" override=\"true\" />";
        assertTrue(xml.contains(parameter),
                "the IT container's default context gives every WAR hub.secret = TestKeys.SECRET");
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
