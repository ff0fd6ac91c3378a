package io.realtimehub.it;

import io.realtimehub.it.clients.HubClient;
import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.HubDeployment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WAR as built, with no configuration of its own: a single node with safe defaults. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DefaultsIT {
    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubDeployment.plain("plain.war");
    }

    @Test
    void runsAsASingleNodeWithTheLocalRelay() throws Exception {
        assertEquals(200, Http.get(base, "health").status());
        try (HubClient client = HubClient.open("sse", base.toURI(), null, "map", null)) {
            client.await(e -> "welcome".equals(HubClient.type(e)), Duration.ofSeconds(10));
        }
    }

    @Test
    void refusesPublishingOverJsonpUnlessSwitchedOn() {
        Http.Response r = Http.get(base, "jsonp/publish?" + Http.query("callback", "cb", "channel", "map", "data", "1"));
        assertEquals(200, r.status());
        assertTrue(r.body().startsWith("cb({\"type\":\"error\",\"code\":\"forbidden\""), r.body());
    }
}
