package dev.softswitch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of one mapping. Construction reports each key the mapping may not have (with a "did you mean" for a
 * near miss); the getters report wrong values and fall back to the default, so the walk goes on.
 */
final class MappingReader {

    private final YamlNode.Mapping mapping;
    private final String path;
    private final NodeReader reader;

    MappingReader(YamlNode.Mapping mapping, String path, List<String> keys, NodeReader reader) {
        this.mapping = mapping;
        this.path = path;
        this.reader = reader;
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!keys.contains(entry.key())) {
                reader.diagnostics()
                        .error(
                                entry.keyLine(),
                                entry.keyColumn(),
                                FieldPath.key(path, entry.key()),
                                unknownKey(entry.key(), keys));
            }
        }
    }

    static MappingReader empty(int line, int column, String path, List<String> keys, NodeReader reader) {
        return new MappingReader(new YamlNode.Mapping(Map.of(), line, column), path, keys, reader);
    }

    private static String unknownKey(String key, List<String> keys) {
        Optional<String> near = Suggestions.closest(key, keys);
        return near.map(k -> "unknown key \"" + key + "\" (did you mean \"" + k + "\"?)")
                .orElseGet(() -> "unknown key \"" + key + "\" (known keys: " + String.join(", ", keys) + ")");
    }

    /** Where the mapping starts: errors about a missing field point here. */
    YamlNode.Mapping node() {
        return mapping;
    }

    String path() {
        return path;
    }

    String field(String key) {
        return FieldPath.key(path, key);
    }

    NodeReader reader() {
        return reader;
    }

    /** The value of {@code key}, or null when it is absent or empty. */
    @Nullable
    YamlNode get(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null || (entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull())) {
            return null;
        }
        return entry.value();
    }

    /** The value of {@code key}, or an error saying it is required ({@code why} says what it is for). */
    @Nullable
    YamlNode require(String key, String why) {
        YamlNode node = get(key);
        if (node == null) {
            reader.error(mapping, field(key), "required: " + why);
        }
        return node;
    }

    @Nullable
    String text(String key) {
        YamlNode node = get(key);
        return node == null ? null : reader.text(node, field(key));
    }

    String text(String key, String fallback) {
        String text = text(key);
        return text != null ? text : fallback;
    }

    int port(String key, int fallback, @Nullable String zeroMeans) {
        YamlNode node = get(key);
        Integer port = node == null ? null : reader.port(node, field(key), zeroMeans);
        return port != null ? port : fallback;
    }

    int limit(String key) {
        YamlNode node = get(key);
        Integer limit = node == null ? null : reader.limit(node, field(key));
        return limit != null ? limit : 0;
    }

    Duration duration(String key, Duration fallback) {
        YamlNode node = get(key);
        Duration duration = node == null ? null : reader.duration(node, field(key));
        return duration != null ? duration : fallback;
    }

    /** {@code true} or {@code false}; false when absent or wrong. */
    boolean flag(String key) {
        YamlNode node = get(key);
        if (node == null) {
            return false;
        }
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
            return Boolean.parseBoolean(scalar.text().toLowerCase(java.util.Locale.ROOT));
        }
        reader.error(node, field(key), "expected true or false, got " + node.describe());
        return false;
    }

    /** The items of the list under {@code key}; empty when absent or wrong. */
    List<YamlNode> list(String key) {
        YamlNode node = get(key);
        List<YamlNode> items = node == null ? null : reader.list(node, field(key));
        return items != null ? items : List.of();
    }

    /** The items of the list of secrets under {@code key}; empty when absent or wrong. */
    List<YamlNode> secretList(String key) {
        YamlNode node = get(key);
        List<YamlNode> items = node == null ? null : reader.list(node, field(key), true);
        return items != null ? items : List.of();
    }

    /** The mapping under {@code key}; an empty one when absent or wrong. */
    MappingReader mapping(String key, List<String> keys) {
        YamlNode node = get(key);
        MappingReader nested = node == null ? null : reader.mapping(node, field(key), keys);
        return nested != null ? nested : empty(mapping.line(), mapping.column(), field(key), keys, reader);
    }

    @Nullable
    Secret secret(String key) {
        YamlNode node = get(key);
        return node == null ? null : reader.secret(node, field(key));
    }
}
