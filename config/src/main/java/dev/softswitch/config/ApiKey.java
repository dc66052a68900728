package dev.softswitch.config;

import java.util.Objects;

/**
 * A bearer key of the HTTP API ({@code api.keys[]}).
 *
 * @param name the key's name: it identifies the key (in logs, say) without showing it
 * @param key the token a client sends as {@code Authorization: Bearer}; at least {@link #MIN_LENGTH} characters, prints
 *     as {@code ***}
 */
public record ApiKey(String name, Secret key) {

    /** The fewest characters a key may have. */
    public static final int MIN_LENGTH = 16;

    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        if (length(key) < MIN_LENGTH) {
            throw new IllegalArgumentException("API key " + name + " is shorter than " + MIN_LENGTH + " characters");
        }
    }

    /** The key's length in characters (code points), which says little about it, for the minimum-length check. */
    static int length(Secret key) {
        String value = key.reveal();
        return value.codePointCount(0, value.length());
    }
}
