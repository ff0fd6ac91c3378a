package io.realtimehub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.HubDeployment;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Smoke test of the IT harness: the built WAR deploys into the managed Tomcat and answers /health. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class HealthIT {

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return HubDeployment.war();
    }

    @ArquillianResource
    private URL base;

    @Test
    void answersUpAsJson() {
        Http.Response response = Http.get(base, "health");

        assertEquals(200, response.status(), response::toString);
        JsonObject health = response.json();
        assertEquals("UP", health.getString("status"), response::toString);
        // the container runs with -Dhub.node=it-node (arquillian.xml)
        assertEquals("it-node", health.getString("node", null), response::toString);
    }
}
