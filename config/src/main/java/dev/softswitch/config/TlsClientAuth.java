package dev.softswitch.config;

import java.util.Locale;
import java.util.Optional;

/** Whether SIP over TLS asks callers for a certificate of their own (mutual TLS with trunks). */
public enum TlsClientAuth {
    /** No client certificate is asked for: the usual case; callers authenticate in SIP (digest, key, address). */
    NONE,
    /** A certificate is asked for and checked when given; a caller without one is still served. */
    WANT,
    /** A certificate is required and checked; a caller without one fails the handshake. */
    NEED;

    /** How the configuration writes it: {@code none}, {@code want} or {@code need}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TlsClientAuth> fromToken(String token) {
        for (TlsClientAuth auth : values()) {
            if (auth.token().equalsIgnoreCase(token.trim())) {
                return Optional.of(auth);
            }
        }
        return Optional.empty();
    }
}
