package dev.softswitch.config;

import java.util.regex.Pattern;

/** The names errors give fields: {@code listen.sip_port}, {@code trunks[0].networks[1]}, {@code routes["+1555"]}. */
final class FieldPath {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private FieldPath() {}

    /** The path of {@code key} in the mapping at {@code path}: dotted when the key is a plain word, else quoted. */
    static String key(String path, String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The path of item {@code index} of the list at {@code path}. */
    static String index(String path, int index) {
        return path + "[" + index + "]";
    }
}
