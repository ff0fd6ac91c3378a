package io.realtimehub.it.jetty;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deploys the ITs' WARs into a jetty-home 12 server that the build started (pom.xml, antrun
 * it-jetty-start) the way an operator deploys onto Jetty: the WAR outside {@code webapps/}, and in
 * {@code webapps/} a context file naming it, its path and its context parameters (those of the WAR's
 * Tomcat {@code META-INF/context.xml}, over those of {@code defaultsFile}). Jetty's deployment
 * scanner (every second) picks the file up; a deployment is ready when {@code /health} answers 200,
 * gone when it answers 404. Start and stop are the build's.
 */
public class JettyHomeContainer implements DeployableContainer<JettyHomeConfiguration> {
    private static final Duration POLL = Duration.ofMillis(200);

    private JettyHomeConfiguration config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Class<JettyHomeConfiguration> getConfigurationClass() {
        return JettyHomeConfiguration.class;
    }

    @Override
    public void setup(JettyHomeConfiguration configuration) {
        this.config = configuration;
    }

    @Override
    public void start() throws LifecycleException {
        try {
            status("/");
        } catch (IOException e) {
            throw new LifecycleException("no Jetty answers on " + config.getBindAddress() + ":" + config.getHttpPort()
                    + " (the build starts it: mvn verify, antrun it-jetty-start; see " + config.getJettyBase()
                    + "/logs/)", e);
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Servlet 5.0");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String context = contextPath(archive);
        Path base = Path.of(config.getJettyBase());
        Path war = base.resolve("wars").resolve(archive.getName());
        try {
            Files.createDirectories(war.getParent());
            archive.as(ZipExporter.class).exportTo(war.toFile(), true);
            Map<String, String> parameters = new LinkedHashMap<>(defaults());
            parameters.putAll(JettyContextXml.tomcatParameters(ownContextXml(archive)));
            Path file = base.resolve("webapps").resolve(context + ".xml");
            Files.writeString(file.resolveSibling(context + ".xml.tmp"), JettyContextXml.of(context, war, parameters));
            Files.move(file.resolveSibling(context + ".xml.tmp"), file); // the scanner sees the whole file at once
        } catch (IOException e) {
            throw new DeploymentException("cannot write " + archive.getName() + " into " + base, e);
        }
        awaitHealth(context, 200, archive.getName() + " did not answer /" + context + "/health with 200");
        return new ProtocolMetaData().addContext(new HTTPContext(config.getBindAddress(), config.getHttpPort())
                .add(new Servlet("default", "/" + context)));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        String context = contextPath(archive);
        Path base = Path.of(config.getJettyBase());
        try {
            Files.deleteIfExists(base.resolve("webapps").resolve(context + ".xml"));
        } catch (IOException e) {
            throw new DeploymentException("cannot remove " + context + ".xml", e);
        }
        awaitHealth(context, 404, archive.getName() + " was not undeployed");
        try {
            Files.deleteIfExists(base.resolve("wars").resolve(archive.getName()));
        } catch (IOException e) {
            throw new DeploymentException("cannot remove " + archive.getName(), e);
        }
    }

    private static String contextPath(Archive<?> archive) {
        return archive.getName().replaceFirst("\\.war$", "");
    }

    private Map<String, String> defaults() throws IOException {
        if (config.getDefaultsFile() == null || config.getDefaultsFile().isBlank()) {
            return Map.of();
        }
        return JettyContextXml.tomcatParameters(Files.readString(Path.of(config.getDefaultsFile())));
    }

    private static String ownContextXml(Archive<?> archive) throws IOException {
        var node = archive.get("META-INF/context.xml");
        Asset asset = node == null ? null : node.getAsset();
        if (asset == null) {
            return null;
        }
        try (InputStream in = asset.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void awaitHealth(String context, int wanted, String failure) throws DeploymentException {
        long deadline = System.nanoTime() + Duration.ofSeconds(config.getDeployTimeoutInSeconds()).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = status("/" + context + "/health");
                if (last == wanted) {
                    return;
                }
                Thread.sleep(POLL.toMillis());
            } catch (IOException e) {
                last = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeploymentException("interrupted", e);
            }
        }
        throw new DeploymentException(failure + " within " + config.getDeployTimeoutInSeconds() + " s (last status "
                + last + "); see " + config.getJettyBase() + "/logs/");
    }

    private int status(String path) throws IOException {
        var uri = URI.create("http://" + config.getBindAddress() + ":" + config.getHttpPort() + path);
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
