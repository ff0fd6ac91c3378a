package io.realtimehub.it.auth;

import io.realtimehub.it.auth.Tokens.Claims;
import io.realtimehub.it.support.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Tokens on, anonymous clients let in too ({@code hub.auth.anonymous=true}) within their own rules
 * ({@code hub.auth.anonymous.subscribe=public.*}, {@code hub.auth.anonymous.publish=public.chat}),
 * while a token's client keeps the rights of its claims.
 */
class AnonymousRulesIT extends AuthItBase {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war("anonymous.war", params("hub.auth.jwt.secret", JWT_SECRET, "hub.auth.anonymous", "true",
                "hub.auth.anonymous.subscribe", "public.*", "hub.auth.anonymous.publish", "public.chat"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "poll", "sse"})
    void anonymousClientsGetTheAnonymousRulesAndTokenClientsTheirClaims(String transport) throws Exception {
        String suffix = channel("x");
        String news = "public.news-" + suffix;
        Client anonymous = live(client(transport, news), news);
        assertNotNull(anonymous.key(), "an anonymous welcome carries a key, tokens on or not: " + anonymous.events());
        attempt(transport, "channels=private-" + suffix).assertRefused(403, "forbidden: ", "anonymous outside public.*");

        Answer chat = postPublish(publishBody("public.chat", anonymous.client(), anonymous.key(), "1"));
        assertEquals(202, chat.status(), chat.toString());
        postPublish(publishBody(news, anonymous.client(), anonymous.key(), "2"))
                .assertRefused(403, "forbidden: ", "an anonymous publish outside public.chat");
        postPublish(publishBody(news, null, null, "3"))
                .assertRefused(403, "forbidden: ", "a publish naming no client outside public.chat");

        String sub = channel("u");
        String token = Tokens.hs256(JWT_SECRET, Claims.of(sub, List.of("private-*"), List.of("public.*")));
        String privateChannel = "private-" + suffix;
        Client member = live(withToken(client(transport, privateChannel), token), privateChannel);
        assertEquals(sub, member.client());
        attemptWithToken(transport, news, token).assertRefused(403, "forbidden: ", "a token client outside its claim");
        Answer published = postPublish("{\"channel\":\"" + news + "\",\"data\":4}", "Authorization", "Bearer " + token);
        assertEquals(202, published.status(), published.toString());
        JsonObject message = message(anonymous, Json.object(published.body()).getString("id"));
        assertEquals(sub, message.getString("from"), message.toString());
        attemptWithToken(transport, news, Tokens.hs256("a-forged-secret-that-is-32-bytes-or-more", Claims.of(sub,
                List.of("*"), List.of("*")))).assertRefused(401, "unauthorized: ", "a forged token is no anonymous client");
    }
}
