package io.realtimehub.it.jetty;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Tomcat reads from a context.xml, said the way Jetty reads it: a context XML file in
 * {@code webapps/} that names the WAR, its context path and its context parameters. Jetty ignores a
 * WAR's {@code META-INF/context.xml}; an operator on Jetty writes this file instead (README,
 * "Deploying into your estate"), so the tests deploy exactly that way.
 */
final class JettyContextXml {

    private JettyContextXml() {
    }

    /** The {@code <Parameter name value>} entries of a Tomcat {@code <Context>} document, in order. */
    static Map<String, String> tomcatParameters(String contextXml) {
        var parameters = new LinkedHashMap<String, String>();
        if (contextXml == null || contextXml.isBlank()) {
            return parameters;
        }
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(contextXml)));
            NodeList list = document.getElementsByTagName("Parameter");
            for (int i = 0; i < list.getLength(); i++) {
                var parameter = (Element) list.item(i);
                parameters.put(parameter.getAttribute("name"), parameter.getAttribute("value"));
            }
            return parameters;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a Tomcat context.xml: " + e.getMessage(), e);
        }
    }

    /** The Jetty 12 (ee10) context file deploying {@code war} at {@code /contextPath} with {@code parameters}. */
    static String of(String contextPath, Path war, Map<String, String> parameters) {
        var xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                """);
        xml.append("  <Set name=\"contextPath\">/").append(text(contextPath)).append("</Set>\n");
        xml.append("  <Set name=\"war\">").append(text(war.toAbsolutePath().toString())).append("</Set>\n");
        parameters.forEach((name, value) -> xml.append("  <Call name=\"setInitParameter\"><Arg>").append(text(name))
                .append("</Arg><Arg>").append(text(value)).append("</Arg></Call>\n"));
        return xml.append("</Configure>\n").toString();
    }

    private static String text(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
