package io.realtimehub.web;

import io.realtimehub.core.Hub;
import io.realtimehub.core.Presence;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.Responses;
import jakarta.json.bind.Jsonb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/** {@code GET /presence?channel=map}: who is on a channel, across the cluster. */
final class PresenceServlet extends HubServlet {
    /** The answer's shape, written by JSON-B. */
    public record Answer(String channel, List<Presence.Member> clients) {
    }

    private final Hub hub;
    private final Jsonb jsonb;

    PresenceServlet(Hub hub, Origins origins, Jsonb jsonb) {
        super(origins);
        this.hub = hub;
        this.jsonb = jsonb;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.checkOrigin(origins, request);
        String channel = request.getParameter("channel");
        if (channel == null || channel.isEmpty()) {
            channel = hub.settings().defaultChannel();
        }
        var answer = new Answer(channel, hub.presence(channel));
        Responses.write(response, 200, "application/json;charset=UTF-8", jsonb.toJson(answer));
    }
}
