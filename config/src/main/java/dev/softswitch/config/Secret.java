package dev.softswitch.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A password, API key or token. It prints as {@code ***} wherever it ends up (a log line, an exception, a record's
 * {@code toString}), compares in constant time, and gives its value only to {@link #reveal()}, which code calls where
 * the value itself is needed (computing a digest, sending a key to a provider).
 */
public final class Secret {

    /** {@link #origin()} of a value written in the configuration file itself. */
    public static final String INLINE = "inline";

    private static final String HIDDEN = "***";

    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /**
     * A secret and where it came from.
     *
     * @param origin the reference it was resolved from, such as {@code ${env:NAME}}, or {@link #INLINE}; never the value
     */
    public static Secret of(String value, String origin) {
        return new Secret(value, origin);
    }

    /** A secret written inline, in the file or in code. */
    public static Secret of(String value) {
        return new Secret(value, INLINE);
    }

    /** The value. Call it only where the value itself is needed, and never to log or print it. */
    public String reveal() {
        return value;
    }

    /** Where the value came from ({@code ${env:NAME}}, {@code ${file:/path}} or {@code inline}): safe to log. */
    public String origin() {
        return origin;
    }

    /**
     * Whether {@code candidate} is this secret, in time that does not depend on where they first differ, nor on
     * their lengths (both sides are hashed with SHA-256 first).
     */
    public boolean equalsConstantTime(String candidate) {
        return MessageDigest.isEqual(sha256(value), sha256(candidate));
    }

    /** Equal when the values are equal (compared in constant time); the origin does not count. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Secret that && equalsConstantTime(that.value);
    }

    /** A constant: a hash of the value would say something about it, and secrets are not meant as map keys. */
    @Override
    public int hashCode() {
        return 0x5ec2e7;
    }

    @Override
    public String toString() {
        return HIDDEN;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
