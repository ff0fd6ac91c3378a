package io.realtimehub.transport;

import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.Rejection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Headers every hub response carries, and the one way errors are answered over HTTP. */
public final class Responses {
    private Responses() {
    }

    /** No caching, no MIME sniffing, and CORS for an allowed cross-origin caller. */
    public static void standardHeaders(HttpServletRequest request, HttpServletResponse response, Origins origins) {
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String origin = request.getHeader("Origin");
        if (origin != null && origins.allows(origin, request.getHeader("Host"))) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
        }
    }

    /** Refuses a request whose Origin is not allowed (403). */
    public static void checkOrigin(Origins origins, HttpServletRequest request) {
        if (!origins.allows(request.getHeader("Origin"), request.getHeader("Host"))) {
            throw new Rejection(Rejection.Code.FORBIDDEN, "origin not allowed");
        }
    }

    /** Answers a rejection as plain text with its status: a reason, never a stack trace. */
    public static void reject(HubMetrics metrics, HttpServletResponse response, Rejection rejection) throws IOException {
        metrics.refused(rejection.code());
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(rejection.code().httpStatus);
        if (rejection.code() == Rejection.Code.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"hub\"");
        }
        if (rejection.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Integer.toString(rejection.retryAfterSeconds()));
            response.setHeader("Access-Control-Expose-Headers", "Retry-After");
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write((rejection.code().wire + ": " + rejection.getMessage() + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    public static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
