package io.realtimehub.web;

import io.realtimehub.core.Hub;
import io.realtimehub.transport.HubServlet;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.Responses;
import jakarta.json.bind.Jsonb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /health}: 200 UP while the relay is up, 503 DOWN otherwise (load balancers skip the node). */
final class HealthServlet extends HubServlet {
    /** The answer's shape, written by JSON-B. */
    public record Answer(String status, String node, String relay) {
    }

    private final Hub hub;
    private final Jsonb jsonb;

    HealthServlet(Hub hub, Origins origins, Jsonb jsonb) {
        super(origins, hub.metrics());
        this.hub = hub;
        this.jsonb = jsonb;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean up = hub.relayUp();
        String state = up ? "UP" : "DOWN";
        Responses.write(response, up ? 200 : 503, "application/json;charset=UTF-8",
                jsonb.toJson(new Answer(state, hub.settings().node(), state)));
    }
}
