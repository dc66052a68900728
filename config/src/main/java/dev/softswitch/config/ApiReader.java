package dev.softswitch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code api:}: the HTTP API's bearer keys. */
final class ApiReader {

    static final List<String> KEYS = List.of("keys");

    static final List<String> KEY_KEYS = List.of("name", "key");

    private ApiReader() {}

    static ApiConfig read(MappingReader root) {
        MappingReader section = root.mapping("api", KEYS);
        NodeReader reader = root.reader();
        List<ApiKey> keys = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        Map<String, YamlNode> names = new LinkedHashMap<>();
        List<YamlNode> items = section.list("keys");
        for (int i = 0; i < items.size(); i++) {
            MappingReader item = reader.mapping(items.get(i), FieldPath.index(section.field("keys"), i), KEY_KEYS);
            if (item == null) {
                continue;
            }
            String name = AssistantsReader.name(
                    item, "name", "the key's name, which identifies it without showing it", "API key name", names);
            YamlNode node = item.require("key", "the bearer token, as ${env:NAME} or ${file:/path}");
            Secret key = node == null ? null : reader.secret(node, item.field("key"));
            if (node == null || key == null) {
                continue;
            }
            if (ApiKey.length(key) < ApiKey.MIN_LENGTH) {
                // Neither the key nor its length: a short key is a guessable one.
                reader.error(node, item.field("key"), "too short: an API key needs at least 16 characters");
                continue;
            }
            int same = sameKey(keys, key);
            if (same >= 0) {
                reader.error(
                        node,
                        item.field("key"),
                        "the same key as " + fields.get(same) + named(keys.get(same)) + ": give each client its own");
                continue;
            }
            keys.add(new ApiKey(name, key));
            fields.add(item.field("key"));
        }
        return new ApiConfig(keys);
    }

    private static String named(ApiKey key) {
        return key.name().isEmpty() ? "" : " (\"" + key.name() + "\")";
    }

    /** The index of the key equal to {@code key}, or -1; compared in constant time, as they are secrets. */
    private static int sameKey(List<ApiKey> keys, Secret key) {
        int same = -1;
        for (int k = 0; k < keys.size(); k++) {
            if (keys.get(k).key().equals(key) && same < 0) {
                same = k;
            }
        }
        return same;
    }
}
