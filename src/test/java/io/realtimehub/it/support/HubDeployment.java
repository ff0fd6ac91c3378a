package io.realtimehub.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR under test, exactly as {@code mvn package} built it, for
 * {@code @Deployment(testable = false) public static WebArchive deployment() { return HubDeployment.war(); }}.
 * Deployed as {@code hub.war}, so the context path is {@code /hub}, as in production.
 */
public final class HubDeployment {

    /** Set by failsafe (pom.xml); the default suits an IT run from an IDE in the project folder. */
    private static final String WAR = System.getProperty("hub.war", "target/hub.war");

    private HubDeployment() {
    }

    /**
     * The WAR as the demo and the cluster run it: publishing over JSONP switched on, here as a
     * context parameter (the lowest-precedence way to configure it) in the WAR's own context.xml.
     */
    public static WebArchive war() {
        return imported("hub.war").addAsManifestResource(new StringAsset(
                "<Context unloadDelay=\"250\">\n"
                        + "  <Parameter name=\"hub.jsonp.publish\" value=\"true\" override=\"false\" />\n"
                        + "</Context>\n"), "context.xml");
    }

    /**
     * The WAR deployed as {@code name} (e.g. "tokens.war") with {@code parameters} as context
     * parameters in its context.xml; system properties (arquillian.xml's) still win over them.
     */
    public static WebArchive withParameters(String name, Map<String, String> parameters) {
        var xml = new StringBuilder("<Context unloadDelay=\"250\">\n");
        parameters.forEach((key, value) -> xml.append("  <Parameter name=\"").append(attribute(key))
                .append("\" value=\"").append(attribute(value)).append("\" override=\"false\" />\n"));
        xml.append("</Context>\n");
        return imported(name).addAsManifestResource(new StringAsset(xml.toString()), "context.xml");
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    /** The WAR exactly as built, with nothing configured, deployed as {@code name} (e.g. "plain.war"). */
    public static WebArchive plain(String name) {
        return imported(name);
    }

    private static WebArchive imported(String name) {
        Path war = Path.of(WAR);
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war.toAbsolutePath() + " is missing: run `mvn package` (or `mvn verify`) first");
        }
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(war.toFile()).as(WebArchive.class);
    }
}
