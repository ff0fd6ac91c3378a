package io.realtimehub.web;

import io.realtimehub.core.Event;
import io.realtimehub.auth.Access;
import io.realtimehub.core.Grant;
import io.realtimehub.core.Hub;
import io.realtimehub.core.JsonText;
import io.realtimehub.core.Names;
import io.realtimehub.core.Rejection;
import io.realtimehub.transport.Callbacks;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.RequestCredentials;
import io.realtimehub.transport.Responses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /jsonp/publish?callback=&channel=&client=&data=}: publishing for clients that can
 * only add script tags. Off unless {@code hub.jsonp.publish} is true, because any page on any
 * origin can make a browser send it. Errors are answered as {@code NAME({"type":"error",...});}
 * (a script tag cannot read a status), except a bad callback, which is a plain 400.
 */
final class JsonpPublishServlet extends HubServlet {
    private final Hub hub;
    private final boolean enabled;
    private final Access access;

    JsonpPublishServlet(Hub hub, Access access, Origins origins, boolean enabled) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.access = access;
        this.enabled = enabled;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String callback = Callbacks.require(request.getParameter("callback"));
        try {
            if (!enabled) {
                throw new Rejection(Rejection.Code.FORBIDDEN, "publishing over JSONP is switched off");
            }
            String client = Names.clientOrNull(request.getParameter("client"));
            String data = request.getParameter("data");
            if (data == null) {
                throw Rejection.badRequest("data is missing");
            }
            if (data.length() > hub.settings().maxEventBytes() * 6 + 1024) {
                throw Rejection.tooLarge("data is larger than " + hub.settings().maxEventBytes() + " bytes");
            }
            Grant grant = access.publisher(RequestCredentials.of(request, client, request.getParameter("key")), false);
            String rateKey = grant.client() != null ? grant.client() : "addr:" + request.getRemoteAddr();
            var publication = hub.publish(grant, grant.client(), rateKey, request.getParameter("channel"),
                    JsonText.parse(data));
            PublishAnswer.send(request, response, publication, (out, event, refused) -> answer(out, callback,
                    refused == null ? "{\"id\":" + JsonText.quote(event.id()) + "}" : error(refused)));
        } catch (Rejection rejection) {
            answer(response, callback, error(rejection));
        }
    }

    private String error(Rejection rejection) {
        metrics.refused(rejection.code());
        return Event.error(rejection.code(), rejection.getMessage(), null).json();
    }

    private static void answer(HttpServletResponse response, String callback, String body) throws IOException {
        Responses.write(response, 200, "application/javascript;charset=UTF-8", callback + "(" + body + ");");
    }
}
