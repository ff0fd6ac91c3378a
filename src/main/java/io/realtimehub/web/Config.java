package io.realtimehub.web;

import jakarta.servlet.ServletContext;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where settings come from, lowest to highest precedence: servlet context parameters
 * ({@code web.xml} or Tomcat's {@code <Parameter>}), JNDI environment entries
 * ({@code java:comp/env/hub.history.size}), system properties ({@code -Dhub.history.size}),
 * environment variables ({@code HUB_HISTORY_SIZE}). Unset everywhere means the default.
 */
final class Config implements Function<String, String> {
    private final ServletContext context;
    private final InitialContext jndi;

    Config(ServletContext context) {
        this.context = context;
        this.jndi = initialContext();
    }

    @Override
    public String apply(String key) {
        String value = System.getenv(envName(key));
        if (value == null) {
            value = System.getProperty(key);
        }
        if (value == null) {
            value = jndi(key);
        }
        if (value == null) {
            value = context.getInitParameter(key);
        }
        return value;
    }

    /** {@code hub.event.maxBytes} -> {@code HUB_EVENT_MAXBYTES}. */
    static String envName(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** A JNDI object such as a JMS ConnectionFactory, or null when none is bound. */
    Object lookupObject(String name) {
        if (jndi == null) {
            return null;
        }
        try {
            return jndi.lookup(name);
        } catch (NamingException e) {
            return null;
        }
    }

    private String jndi(String key) {
        Object value = lookupObject("java:comp/env/" + key);
        return value == null ? null : value.toString();
    }

    private static InitialContext initialContext() {
        try {
            return new InitialContext();
        } catch (NamingException e) {
            return null; // no naming service: plain servlet container
        }
    }
}
