package dev.softswitch.bridge.provider;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code application/x-www-form-urlencoded}, both ways: query strings and form bodies. Pure. */
public final class Forms {

    private Forms() {}

    /** Names to values in order of first appearance; a repeated name keeps every value. */
    public static Map<String, List<String>> parse(@Nullable String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** The pairs as a form body, in the order given ({@code +} for spaces, as browsers and SDKs send). */
    public static String encode(List<Map.Entry<String, String>> pairs) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> pair : pairs) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a stray '%': keep it as sent, so a signature over it can still be checked
        }
    }
}
