package io.realtimehub.it.jetty;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Tomcat context.xml's parameters become a Jetty context file's init parameters, escaped. */
class JettyContextXmlTest {

    @Test
    void readsTheParametersOfATomcatContext() {
        var parameters = JettyContextXml.tomcatParameters("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Context unloadDelay="250">
                  <Parameter name="hub.jsonp.publish" value="true" override="false" />
                  <Parameter name="hub.origins" value="a&amp;b" />
                </Context>
                """);
        assertEquals(Map.of("hub.jsonp.publish", "true", "hub.origins", "a&b"), parameters);
        assertEquals(Map.of(), JettyContextXml.tomcatParameters(null));
        assertEquals(Map.of(), JettyContextXml.tomcatParameters("<Context unloadDelay=\"250\" />"));
        assertThrows(IllegalArgumentException.class, () -> JettyContextXml.tomcatParameters("<Context"));
    }

    @Test
    void writesAnEe10ContextFileWithTheWarItsPathAndItsParameters() {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("hub.secret", "s3cret");
        parameters.put("hub.origins", "<a>&b");
        String xml = JettyContextXml.of("hub", Path.of("/srv/wars/hub.war"), parameters);
        assertTrue(xml.contains("<Configure class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\">\n"
                + "  <Set name=\"contextPath\">/hub</Set>\n"
                + "  <Set name=\"war\">/srv/wars/hub.war</Set>\n"
                + "  <Call name=\"setInitParameter\"><Arg>hub.secret</Arg><Arg>s3cret</Arg></Call>\n"
                + "  <Call name=\"setInitParameter\"><Arg>hub.origins</Arg><Arg>&lt;a&gt;&amp;b</Arg></Call>\n"
                + "</Configure>\n"), xml);
    }
}
