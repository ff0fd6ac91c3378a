package io.realtimehub.transport;

import io.realtimehub.auth.Credentials;
import jakarta.servlet.http.HttpServletRequest;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a request's {@link Credentials}: {@code client}, {@code key}, {@code token}, {@code Authorization: Bearer}, the container's login. */
public final class RequestCredentials {
    private RequestCredentials() {
    }

    /** A subscribing request: {@code client} and {@code key} from the query. */
    public static Credentials of(HttpServletRequest request) {
        return of(request, request.getParameter("client"), request.getParameter("key"));
    }

    /** {@code client} and {@code key} as the caller read them (a publish body). */
    public static Credentials of(HttpServletRequest request, String client, String key) {
        return create(client, key, request.getParameter("token"), request.getHeader("Authorization"),
                request.getUserPrincipal(), request::isUserInRole);
    }

    /** A WebSocket handshake as the JSR-356 configurator sees it. */
    public static Credentials of(Map<String, List<String>> parameters, Map<String, List<String>> headers,
                                 Principal principal, Predicate<String> inRole) {
        return create(first(parameters, "client"), first(parameters, "key"), first(parameters, "token"),
                header(headers, "Authorization"), principal, inRole);
    }

    private static Credentials create(String client, String key, String token, String authorization,
                                      Principal principal, Predicate<String> inRole) {
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return new Credentials(emptyToNull(client), emptyToNull(key), emptyToNull(token), emptyToNull(bearer),
                principal == null ? null : principal.getName(), inRole);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    private static String first(Map<String, List<String>> values, String key) {
        List<String> list = values.get(key);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
