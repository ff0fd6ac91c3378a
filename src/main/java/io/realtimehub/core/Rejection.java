package io.realtimehub.core;

/**
 * A request the hub refuses, with the protocol's error code and a reason that is safe to show
 * the client. Transports turn it into a 4xx/503 or an {@code error} event; it never carries a
 * stack trace (none is filled in).
 */
public final class Rejection extends RuntimeException {
    /** The protocol's error codes and the HTTP status each maps to. */
    public enum Code {
        BAD_REQUEST("bad_request", 400),
        TOO_LARGE("too_large", 413),
        RATE_LIMITED("rate_limited", 429),
        UNAUTHORIZED("unauthorized", 401),
        FORBIDDEN("forbidden", 403),
        UNAVAILABLE("unavailable", 503);

        public final String wire;
        public final int httpStatus;

        Code(String wire, int httpStatus) {
            this.wire = wire;
            this.httpStatus = httpStatus;
        }
    }

    private final Code code;
    private final int retryAfterSeconds;

    public Rejection(Code code, String message) {
        this(code, message, 0);
    }

    private Rejection(Code code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Code code() {
        return code;
    }

    /** Seconds the client should wait before trying again (HTTP {@code Retry-After}); 0 when not said. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static Rejection badRequest(String message) {
        return new Rejection(Code.BAD_REQUEST, message);
    }

    public static Rejection tooLarge(String message) {
        return new Rejection(Code.TOO_LARGE, message);
    }

    /** 401: no credential, or one that is forged, expired or not accepted here. */
    public static Rejection unauthorized(String message) {
        return new Rejection(Code.UNAUTHORIZED, message);
    }

    /** 403: a valid identity that may not do this (a channel it has no permission for, another's id). */
    public static Rejection forbidden(String message) {
        return new Rejection(Code.FORBIDDEN, message);
    }

    public static Rejection unavailable(String message) {
        return new Rejection(Code.UNAVAILABLE, message);
    }

    /** 503 with {@code Retry-After}: the node takes no new client now (see {@link Admission}). */
    public static Rejection full(String message, int retryAfterSeconds) {
        return new Rejection(Code.UNAVAILABLE, message, Math.max(1, retryAfterSeconds));
    }
}
