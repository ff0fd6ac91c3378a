package io.realtimehub.wildfly;

import io.realtimehub.it.support.TestKeys;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.StringAsset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ITs configure their WARs the Tomcat way: {@code <Parameter>}s in {@code META-INF/context.xml}, and
 * {@code hub.secret} for every WAR from the IT Tomcat's {@code context.xml.default}. WildFly reads neither, so
 * on WildFly the same parameters become {@code <context-param>}s of {@code WEB-INF/web.xml} (added to the
 * WAR's own web.xml, or a new one): the same lowest-precedence source of the hub's settings, so the tests
 * run unchanged. A Tomcat {@code Realm} has no such translation (the auth ITs are not run on WildFly).
 * An observer of {@link BeforeDeploy}, not an archive processor: Arquillian hands {@code testable = false}
 * deployments, which all the ITs are, to no archive processor.
 */
public final class ContextParameters {
    private static final Pattern PARAMETER = Pattern.compile(
            "<Parameter\\s+name=\"([^\"]*)\"\\s+value=\"([^\"]*)\"");

    public void beforeDeploy(@Observes BeforeDeploy event) {
        if (event.getDeployment().isArchiveDeployment()) {
            translate(event.getDeployment().getArchive());
        }
    }

    static void translate(Archive<?> archive) {
        if (!archive.getName().endsWith(".war") || archive.get("WEB-INF/.context-parameters") != null) {
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("hub.secret", TestKeys.SECRET); // as the IT Tomcat's context.xml.default; a WAR's own wins
        Node contextXml = archive.get("META-INF/context.xml");
        if (contextXml != null && contextXml.getAsset() != null) {
            Matcher m = PARAMETER.matcher(read(contextXml));
            while (m.find()) {
                parameters.put(unescape(m.group(1)), unescape(m.group(2)));
            }
        }
        var xml = new StringBuilder();
        parameters.forEach((name, value) -> xml.append("  <context-param><param-name>").append(escape(name))
                .append("</param-name><param-value>").append(escape(value)).append("</param-value></context-param>\n"));
        Node webXml = archive.get("WEB-INF/web.xml");
        String merged;
        if (webXml != null && webXml.getAsset() != null) {
            String own = read(webXml);
            int end = own.lastIndexOf("</web-app>");
            merged = own.substring(0, end) + xml + own.substring(end);
            archive.delete("WEB-INF/web.xml");
        } else {
            merged = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n" + xml + "</web-app>\n";
        }
        archive.add(new StringAsset(merged), "WEB-INF/web.xml");
        archive.add(new StringAsset("translated from META-INF/context.xml\n"), "WEB-INF/.context-parameters"); // once

    }

    private static String read(Node node) {
        try (InputStream in = node.getAsset().openStream(); var out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unescape(String value) {
        return value.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
