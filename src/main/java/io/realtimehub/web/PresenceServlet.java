package io.realtimehub.web;

import io.realtimehub.auth.Access;
import io.realtimehub.core.Hub;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import io.realtimehub.core.Presence;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.RequestCredentials;
import io.realtimehub.transport.Responses;
import jakarta.json.bind.Jsonb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /presence?channel=map&limit=1000&after=CLIENT}: who is on a channel, across the
 * cluster, a page at a time (by client id): {@code count} is the channel's size, {@code next}
 * (absent on the last page) the {@code after} of the next page.
 */
final class PresenceServlet extends HubServlet {
    /** Most members in one answer, and the default. */
    static final int MAX_PAGE = 1000;

    /** The answer's shape, written by JSON-B (a null {@code next} is left out). */
    public record Answer(String channel, int count, List<Presence.Member> clients, String next) {
    }

    private final Hub hub;
    private final Jsonb jsonb;
    private final Access access;

    PresenceServlet(Hub hub, Access access, Origins origins, Jsonb jsonb) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.access = access;
        this.jsonb = jsonb;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.checkOrigin(origins, request);
        String channel = request.getParameter("channel");
        if (channel == null || channel.isEmpty()) {
            channel = hub.settings().defaultChannel();
        }
        // Who is on a channel is for those who may subscribe to it.
        if (!access.subscriber(RequestCredentials.of(request)).subscribe().allows(Names.channel(channel))) {
            throw Rejection.forbidden("not allowed to see the presence of " + channel);
        }
        int limit = intParam(request, "limit", MAX_PAGE, 1, MAX_PAGE);
        String after = request.getParameter("after");
        Presence.Page page = hub.presence(channel, after == null || after.isEmpty() ? null : after, limit);
        var answer = new Answer(channel, page.count(), page.members(), page.next());
        Responses.write(response, 200, "application/json;charset=UTF-8", jsonb.toJson(answer));
    }
}
