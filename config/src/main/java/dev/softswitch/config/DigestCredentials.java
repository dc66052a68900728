package dev.softswitch.config;

import java.util.Objects;

/**
 * A username and password for SIP digest authentication (RFC 3261 22, RFC 8760).
 *
 * @param username the digest username
 * @param password the password; prints as {@code ***}
 */
public record DigestCredentials(String username, Secret password) {

    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }
}
