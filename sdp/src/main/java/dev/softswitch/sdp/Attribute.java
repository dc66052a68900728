package dev.softswitch.sdp;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@code a=} line (RFC 8866 5.13): {@code a=<name>} is a property attribute with a null {@code value},
 * {@code a=<name>:<value>} a value attribute (whose value may be empty).
 */
public record Attribute(String name, @Nullable String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an attribute name is not empty and has no ':'");
        }
    }

    /** A property attribute such as {@code a=sendonly} or {@code a=rtcp-mux}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }
}
