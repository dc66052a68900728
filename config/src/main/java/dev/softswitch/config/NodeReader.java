package dev.softswitch.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads one node as a typed value, or reports why it cannot (wrong type, bad format) and returns null, so the walk
 * goes on and finds every error in one pass.
 */
final class NodeReader {

    private static final String INLINE_WARNING =
            "a secret written in the file: put it in an environment variable (${env:NAME}) or a file (${file:/path})";

    private final Diagnostics diagnostics;
    private final SecretResolver secrets;

    NodeReader(Diagnostics diagnostics, SecretResolver secrets) {
        this.diagnostics = diagnostics;
        this.secrets = secrets;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    void error(YamlNode at, String field, String message) {
        diagnostics.error(at, field, message);
    }

    /** A scalar's text; numbers and booleans as written. */
    @Nullable
    String text(YamlNode node, String field) {
        if (node instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        diagnostics.error(node, field, "expected text, got " + node.describe());
        return null;
    }

    /**
     * A whole number (written as a number, or as a string of digits).
     *
     * @param expected what the message says was expected, such as {@code a port number}
     */
    @Nullable
    Long integer(YamlNode node, String field, String expected) {
        if (node instanceof YamlNode.Scalar scalar) {
            BigInteger value = scalar.integer();
            if (value == null
                    && scalar.type() == YamlNode.ScalarType.STRING
                    && scalar.text().matches("-?[0-9]{1,18}")) {
                value = new BigInteger(scalar.text());
            }
            if (value != null) {
                if (value.bitLength() < 63) {
                    return value.longValue();
                }
                diagnostics.error(node, field, scalar.text() + " is too large");
                return null;
            }
        }
        diagnostics.error(node, field, "expected " + expected + ", got " + node.describe());
        return null;
    }

    /** A port: 1-65535, or 0 too when {@code zeroMeans} says what 0 does. */
    @Nullable
    Integer port(YamlNode node, String field, @Nullable String zeroMeans) {
        Long value = integer(node, field, "a port number");
        if (value == null) {
            return null;
        }
        long low = zeroMeans == null ? 1 : 0;
        if (value < low || value > 65535) {
            String range = zeroMeans == null ? "1-65535" : "0-65535; 0 " + zeroMeans;
            diagnostics.error(node, field, value + " is not a port (" + range + ")");
            return null;
        }
        return value.intValue();
    }

    /** A count of 0 (meaning none) or more. */
    @Nullable
    Integer limit(YamlNode node, String field) {
        Long value = integer(node, field, "a whole number");
        if (value == null) {
            return null;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            diagnostics.error(node, field, value + " is not a limit (0 for none, or more)");
            return null;
        }
        return value.intValue();
    }

    /** A positive duration such as {@code 30s}. */
    @Nullable
    Duration duration(YamlNode node, String field) {
        if (!(node instanceof YamlNode.Scalar scalar) || scalar.isNull()) {
            diagnostics.error(node, field, "expected a duration (" + Durations.FORMS + "), got " + node.describe());
            return null;
        }
        Duration duration = Durations.parse(scalar.text());
        if (duration == null) {
            diagnostics.error(
                    node,
                    field,
                    scalar.describe() + " is not a duration (write a whole number and a unit: " + Durations.FORMS
                            + ")");
            return null;
        }
        if (duration.isZero()) {
            diagnostics.error(node, field, scalar.text() + " is too short: give more than 0");
            return null;
        }
        return duration;
    }

    /** A list's items; an empty value is an empty list. */
    @Nullable
    List<YamlNode> list(YamlNode node, String field) {
        return list(node, field, false);
    }

    /**
     * A list's items; an empty value is an empty list.
     *
     * @param ofSecrets whether the items are secrets, so a scalar given instead must not be quoted in the message
     */
    @Nullable
    List<YamlNode> list(YamlNode node, String field, boolean ofSecrets) {
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence.items();
        }
        if (node instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return List.of();
        }
        if (ofSecrets && node instanceof YamlNode.Scalar) {
            diagnostics.error(node, field, "expected a list, got a single value: write [\"${env:NAME}\"]");
        } else {
            diagnostics.error(node, field, "expected a list, got " + node.describe());
        }
        return null;
    }

    /** A mapping with the given keys; others are reported as unknown. An empty value is an empty mapping. */
    @Nullable
    MappingReader mapping(YamlNode node, String field, List<String> keys) {
        if (node instanceof YamlNode.Mapping mapping) {
            return new MappingReader(mapping, field, keys, this);
        }
        if (node instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return MappingReader.empty(node.line(), node.column(), field, keys, this);
        }
        diagnostics.error(node, field, "expected a mapping (" + String.join(", ", keys) + "), got " + node.describe());
        return null;
    }

    /**
     * A secret: a reference resolved, or a value written inline (allowed, with a warning). Messages never show the
     * value, not even its type's rendering of it.
     */
    @Nullable
    Secret secret(YamlNode node, String field) {
        if (!(node instanceof YamlNode.Scalar scalar) || scalar.isNull()) {
            String got = node instanceof YamlNode.Scalar ? "nothing" : node.describe();
            diagnostics.error(node, field, "expected a secret (" + "${env:NAME}, ${file:/path} or text), got " + got);
            return null;
        }
        try {
            Secret secret = secrets.resolve(scalar.text());
            if (!SecretResolver.isReference(scalar.text())) {
                diagnostics.warning(node, field, INLINE_WARNING);
            }
            return secret;
        } catch (SecretResolutionException e) {
            diagnostics.error(node, field, String.valueOf(e.getMessage()));
            return null;
        }
    }
}
