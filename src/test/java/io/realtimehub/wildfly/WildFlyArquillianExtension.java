package io.realtimehub.wildfly;

import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Registered only on the classpath of the WildFly executions (src/test/wildfly/arquillian): turns the
 * test WARs' Tomcat context parameters into web.xml context parameters, see {@link ContextParameters}.
 */
public final class WildFlyArquillianExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(ContextParameters.class);
    }
}
