package dev.softswitch.config;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A YAML document as the validator walks it: mappings, sequences and scalars, each remembering where it starts in the
 * file (1-based line and column), so an error can point at the exact node.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    int line();

    int column();

    /** How an error message names this node's type and value, such as {@code "abc"}, {@code 1.5} or {@code a list}. */
    String describe();

    /** What YAML made of a scalar (YAML 1.1 rules, as Jackson applies them). */
    enum ScalarType {
        STRING,
        INTEGER,
        FLOAT,
        BOOLEAN,
        NULL
    }

    /**
     * A scalar: its text as written, and its integer value when YAML read it as one ({@code 0x1F}, {@code 1_000}).
     * An empty value ({@code key:}) is a {@link ScalarType#NULL} scalar.
     */
    record Scalar(ScalarType type, String text, @Nullable BigInteger integer, int line, int column)
            implements YamlNode {

        boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String describe() {
            return switch (type) {
                case STRING -> '"' + text + '"';
                case NULL -> "nothing";
                case INTEGER, FLOAT, BOOLEAN -> text;
            };
        }
    }

    /** One {@code key: value} pair, with where the key is written. */
    record Entry(String key, int keyLine, int keyColumn, YamlNode value) {}

    /** A mapping, its entries in file order. */
    record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {

        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
