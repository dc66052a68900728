package dev.softswitch.sip.auth;

import java.util.Optional;

/** Where the authenticator finds a user's password; empty when there is no such user. */
@FunctionalInterface
public interface PasswordLookup {

    /** The plain password of {@code username}, or empty for an unknown user. Must not block for long. */
    Optional<String> password(String username);
}
