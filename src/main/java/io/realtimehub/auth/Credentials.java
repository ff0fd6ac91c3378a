package io.realtimehub.auth;

import java.util.function.Predicate;

/**
 * What a request brings to prove who it is, read by the transport from the query, the headers and
 * the container's login; any of them may be null.
 *
 * @param client    the public client id it names ({@code client=}, or a publish body's {@code client})
 * @param key       the resume key that goes with it ({@code key=})
 * @param token     a JWT from the {@code token} query parameter
 * @param bearer    the credential of an {@code Authorization: Bearer} header: a JWT or the back-end publish key
 * @param principal the name of the user the container authenticated ({@code getUserPrincipal()})
 * @param inRole    whether that user is in a container role ({@code isUserInRole})
 */
public record Credentials(String client, String key, String token, String bearer, String principal,
                          Predicate<String> inRole) {

    /** The token to verify: the query parameter first (browsers), then the header. */
    String jwt() {
        return token != null ? token : bearer;
    }
}
