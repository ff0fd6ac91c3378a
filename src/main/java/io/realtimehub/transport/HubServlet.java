package io.realtimehub.transport;

import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.Rejection;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of every hub servlet: standard headers on every answer, a {@link Rejection} becomes its
 * 4xx/503 with a plain-text reason, and anything unexpected a bare 500 (logged here, never shown).
 */
public abstract class HubServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(HubServlet.class.getName());

    protected final Origins origins;
    protected final HubMetrics metrics;

    protected HubServlet(Origins origins, HubMetrics metrics) {
        this.origins = origins;
        this.metrics = metrics;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.standardHeaders(request, response, origins);
        try {
            super.service(request, response);
        } catch (Rejection rejection) {
            Responses.reject(metrics, response, rejection);
        } catch (IOException e) {
            LOG.log(Level.FINE, "client went away", e);
        } catch (ServletException | RuntimeException e) {
            LOG.log(Level.WARNING, "unexpected failure on " + request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.resetBuffer();
                response.sendError(500);
            }
        }
    }

    /** CORS preflight: allowed origins may send JSON bodies. */
    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        Responses.checkOrigin(origins, request);
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Content-Type, Last-Event-ID");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(204);
    }

    protected static int intParam(HttpServletRequest request, String name, int fallback, int min, int max) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            throw Rejection.badRequest(name + " must be a whole number");
        }
    }
}
