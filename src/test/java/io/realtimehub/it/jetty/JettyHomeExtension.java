package io.realtimehub.it.jetty;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Offers the Jetty container only when arquillian.xml's {@code jetty} container is chosen
 * ({@code -Darquillian.launch=jetty}, as failsafe's Jetty execution does; that execution also leaves
 * the Tomcat adapter off its class path): Arquillian 1.10 takes exactly one DeployableContainer.
 */
public class JettyHomeExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        if ("jetty".equals(System.getProperty("arquillian.launch"))) {
            builder.service(DeployableContainer.class, JettyHomeContainer.class);
        }
    }
}
