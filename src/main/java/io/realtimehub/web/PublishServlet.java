package io.realtimehub.web;

import io.realtimehub.auth.Access;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Hub;
import io.realtimehub.core.JsonText;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.RequestCredentials;
import io.realtimehub.transport.Responses;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** {@code POST /publish} with {@code {"channel","client","key","data"}} (or a token, or the back-end publish key): 202 {@code {"id":...}}, or the documented 4xx/503. */
final class PublishServlet extends HubServlet {
    private final Hub hub;
    private final Access access;

    PublishServlet(Hub hub, Access access, Origins origins) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.access = access;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.checkOrigin(origins, request);
        // The envelope and JSON escapes may make the body larger than the data it carries.
        int limit = hub.settings().maxEventBytes() * 6 + 4096;
        JsonObject body = JsonText.parseObject(readBody(request, limit));
        String channel = text(body, "channel");
        String client = Names.clientOrNull(text(body, "client"));
        JsonValue data = body.get("data");
        if (data == null) {
            throw Rejection.badRequest("data is missing");
        }
        Grant grant = access.publisher(RequestCredentials.of(request, client, text(body, "key")), true);
        String rateKey = grant.client() != null ? grant.client() : "addr:" + request.getRemoteAddr();
        var publication = hub.publish(grant, grant.client(), rateKey, channel, data);
        PublishAnswer.send(request, response, publication, (out, event, refused) -> {
            if (refused != null) {
                Responses.reject(metrics, out, refused);
            } else {
                Responses.write(out, 202, "application/json;charset=UTF-8", "{\"id\":" + JsonText.quote(event.id()) + "}");
            }
        });
    }

    static String text(JsonObject body, String key) {
        JsonValue value = body.get(key);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw Rejection.badRequest(key + " must be a string");
    }

    private static String readBody(HttpServletRequest request, int limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw Rejection.tooLarge("request body larger than " + limit + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw Rejection.tooLarge("request body larger than " + limit + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
