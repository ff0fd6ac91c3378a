package io.realtimehub.it.auth;

import io.realtimehub.it.support.Http;
import io.realtimehub.it.support.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Container login (issue 12): Tomcat authenticates (BASIC, against a MemoryRealm this test writes),
 * the hub takes the principal as the client id and maps the user's roles to channels:
 * staff subscribe and publish anywhere, guests subscribe to {@code map*} and publish nowhere.
 */
class ContainerLoginIT extends AuthItBase {
    static final String EMAIL_USER = "carol@example.com";

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path users = targetFile("auth-it-tomcat-users.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users>
                  <user username="alice" password="alice-pw" roles="staff"/>
                  <user username="alice-poll" password="alice-pw" roles="staff"/>
                  <user username="alice-jsonp" password="alice-pw" roles="staff"/>
                  <user username="alice-iframe" password="alice-pw" roles="staff"/>
                  <user username="alice-sse" password="alice-pw" roles="staff"/>
                  <user username="dave" password="dave-pw" roles="staff"/>
                  <user username="bob" password="bob-pw" roles="guest"/>
                  <user username="%s" password="carol-pw" roles="staff"/>
                  <user username="mallory" password="mallory-pw" roles="nobody"/>
                </tomcat-users>
                """.formatted(EMAIL_USER));
        return war("login.war", "  <Realm className=\"org.apache.catalina.realm.MemoryRealm\" pathname=\""
                + users.toAbsolutePath() + "\" />\n"
                + params("hub.auth.roles", "staff,guest",
                "hub.auth.role.staff.subscribe", "*", "hub.auth.role.staff.publish", "*",
                "hub.auth.role.guest.subscribe", "map*"))
                .addAsWebInfResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                                 xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                                 version="6.0">
                          <security-constraint>
                            <web-resource-collection>
                              <web-resource-name>hub</web-resource-name>
                              <url-pattern>/*</url-pattern>
                            </web-resource-collection>
                            <auth-constraint>
                              <role-name>staff</role-name>
                              <role-name>guest</role-name>
                            </auth-constraint>
                          </security-constraint>
                          <login-config>
                            <auth-method>BASIC</auth-method>
                            <realm-name>hub-it</realm-name>
                          </login-config>
                          <security-role><role-name>staff</role-name></security-role>
                          <security-role><role-name>guest</role-name></security-role>
                        </web-app>
                        """), "web.xml");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static final String ALICE = basic("alice", "alice-pw");
    static final String DAVE = basic("dave", "dave-pw");
    static final String BOB = basic("bob", "bob-pw");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "jsonp", "iframe", "sse"})
    void aStaffUserIsItsPrincipalWithoutAKeyAndPublishes(String transport) throws Exception {
        // a user per transport: a long-poll session outlives its test by the session timeout, and a
        // poll resuming a session gets no welcome
        String user = transport.equals("websocket") ? "alice" : "alice-" + transport;
        String credentials = basic(user, "alice-pw");
        String channel = channel("staff");
        Client observer = live(client("websocket", channel).header("Authorization", DAVE), channel);
        assertEquals("dave", observer.client());
        Client alice = live(client(transport, channel).header("Authorization", credentials), channel);
        JsonObject welcome = alice.awaitType("welcome", WAIT);
        assertEquals(user, welcome.getString("client"), welcome.toString());
        assertNull(Client.string(welcome, "key"), "a container login's welcome has no resume key: " + welcome);
        observer.await(e -> TakeoverIT.isPresence(e, "join", user), WAIT);

        String id;
        if (transport.equals("websocket")) {
            id = TakeoverIT.ackId(frame(alice, "publish", channel, "\"from alice\""));
        } else {
            Answer r = postPublish("{\"channel\":\"" + channel + "\",\"data\":\"from alice\"}", "Authorization", credentials);
            assertEquals(202, r.status(), r.toString());
            id = Json.object(r.body()).getString("id");
        }
        JsonObject message = message(observer, id);
        assertEquals(user, message.getString("from"), message.toString());
    }

    @Test
    void aGuestSubscribesToMapChannelsOnlyAndPublishesNowhere() throws Exception {
        String map = channel("map");
        Client bob = live(client("websocket", map).header("Authorization", BOB), map);
        assertEquals("bob", bob.client());

        postPublish("{\"channel\":\"" + map + "\",\"data\":1}", "Authorization", BOB)
                .assertRefused(403, "forbidden: ", "a guest's POST /publish");
        JsonObject refused = frame(bob, "publish", map, "1");
        assertEquals("error", Client.type(refused), refused.toString());
        assertEquals("forbidden", refused.getString("code"), refused.toString());
        JsonObject refusedSubscribe = frame(bob, "subscribe", channel("lobby"), null);
        assertEquals("forbidden", refusedSubscribe.getString("code"), refusedSubscribe.toString());
        for (String transport : List.of("websocket", "poll", "sse")) {
            attempt(transport, "channels=" + channel("lobby"), "Authorization", BOB)
                    .assertRefused(403, "forbidden: ", "a guest subscribing over " + transport + " outside map*");
        }
        // staff publishes where the guest listens; the guest's connection is still there
        Answer r = postPublish("{\"channel\":\"" + map + "\",\"data\":2}", "Authorization", ALICE);
        assertEquals(202, r.status(), r.toString());
        String id = Json.object(r.body()).getString("id");
        assertEquals(2, message(bob, id).getInt("data"));
        assertTrue(bob.messages(map).stream().noneMatch(e -> "bob".equals(Client.string(e, "from"))), bob.events().toString());
    }

    @Test
    void aPrincipalThatIsNoClientIdBecomesAHashOfIt() throws Exception {
        String channel = channel("hash");
        // naming another client changes nothing: the login is who it is
        Client carol = client("sse", channel).as("alice", null).header("Authorization", basic(EMAIL_USER, "carol-pw")).start();
        JsonObject welcome = welcomed(carol);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(EMAIL_USER.getBytes(StandardCharsets.UTF_8));
        String expected = "u-" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha).substring(0, 22);
        assertEquals(expected, welcome.getString("client"), welcome.toString());
    }

    @Test
    void withoutCredentialsTomcatAnswers401() throws Exception {
        for (String path : List.of("poll?channels=map&timeout=0", "sse?channels=map", "presence?channel=map")) {
            Http.Response r = Http.get(base, path);
            assertEquals(401, r.status(), path + ": " + r);
            assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Basic"), path + ": " + r);
        }
        Answer handshake = attempt("websocket", "channels=map");
        assertEquals(401, handshake.status(), handshake.toString());
        Answer wrongPassword = attempt("poll", "channels=map", "Authorization", basic("alice", "wrong"));
        assertEquals(401, wrongPassword.status(), wrongPassword.toString());
        // a user in none of the constraint's roles: Tomcat refuses it too
        Answer noRole = attempt("poll", "channels=map", "Authorization", basic("mallory", "mallory-pw"));
        assertEquals(403, noRole.status(), noRole.toString());
        Answer published = postPublish("{\"channel\":\"map\",\"data\":1}");
        assertEquals(401, published.status(), published.toString());
    }
}
