package io.realtimehub.it.jetty;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/** The {@code jetty} container of src/test/resources/arquillian.xml: a Jetty the build started. */
public class JettyHomeConfiguration implements ContainerConfiguration {
    private String bindAddress = "127.0.0.1";
    private int httpPort = 28400;
    private String jettyBase;
    private String defaultsFile;
    private int deployTimeoutInSeconds = 60;

    @Override
    public void validate() throws ConfigurationException {
        if (jettyBase == null || jettyBase.isBlank()) {
            throw new ConfigurationException("jettyBase (the JETTY_BASE the build laid out) is not set");
        }
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public String getJettyBase() {
        return jettyBase;
    }

    public void setJettyBase(String jettyBase) {
        this.jettyBase = jettyBase;
    }

    /** A Tomcat context.xml whose parameters every WAR gets unless its own names them (as context.xml.default). */
    public String getDefaultsFile() {
        return defaultsFile;
    }

    public void setDefaultsFile(String defaultsFile) {
        this.defaultsFile = defaultsFile;
    }

    public int getDeployTimeoutInSeconds() {
        return deployTimeoutInSeconds;
    }

    public void setDeployTimeoutInSeconds(int deployTimeoutInSeconds) {
        this.deployTimeoutInSeconds = deployTimeoutInSeconds;
    }
}
