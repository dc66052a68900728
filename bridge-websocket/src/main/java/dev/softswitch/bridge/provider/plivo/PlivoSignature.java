package dev.softswitch.bridge.provider.plivo;

import dev.softswitch.bridge.provider.Forms;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * {@code X-Plivo-Signature-V3} (providers.md 4.5; plivo-python {@code signature_v3.py}): Base64 of HMAC-SHA256, keyed
 * with the auth token, over the base string and {@code "." + nonce}. The base string is {@code scheme://host/path};
 * for a GET (or a POST without parameters) the query, sorted, as {@code ?k=v&k=v}; for a POST with parameters
 * {@code ?}, the sorted query and a {@code .} when there is one, then the sorted body parameters as {@code kvkv}. The
 * header may list several signatures (one per active token), comma-separated: any one matching is enough. V2 is not
 * accepted. Pure.
 */
public final class PlivoSignature {

    public static final String HEADER = "X-Plivo-Signature-V3";
    public static final String NONCE = "X-Plivo-Signature-V3-Nonce";

    private PlivoSignature() {}

    /** The string Plivo signs (before the nonce) for a request to {@code url} with {@code post} parameters. */
    public static String baseString(String method, URI url, Map<String, List<String>> post) {
        String base =
                url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        Map<String, List<String>> query = Forms.parse(url.getRawQuery());
        if (!method.equals("POST") || post.isEmpty()) {
            Map<String, List<String>> all = new TreeMap<>(query);
            post.forEach(
                    (k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            String pairs = pairs(all);
            return pairs.isEmpty() ? base : base + "?" + pairs;
        }
        StringBuilder s = new StringBuilder(base).append('?');
        String pairs = pairs(new TreeMap<>(query));
        if (!pairs.isEmpty()) {
            s.append(pairs).append('.');
        }
        for (Map.Entry<String, List<String>> e : new TreeMap<>(post).entrySet()) {
            for (String value : e.getValue().stream().sorted().toList()) {
                s.append(e.getKey()).append(value);
            }
        }
        return s.toString();
    }

    /** The signature of {@code baseString} with {@code nonce}. */
    public static String compute(String authToken, String baseString, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((baseString + "." + nonce).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether any signature in {@code header} is Plivo's for the request. */
    public static boolean valid(
            String authToken,
            @Nullable String header,
            @Nullable String nonce,
            String method,
            URI url,
            Map<String, List<String>> post) {
        if (header == null || nonce == null || header.isBlank() || nonce.isBlank()) {
            return false;
        }
        byte[] expected =
                compute(authToken, baseString(method, url, post), nonce.strip()).getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String given : header.split(",")) {
            ok |= MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    private static String pairs(Map<String, List<String>> sorted) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
            for (String value : e.getValue().stream().sorted().toList()) {
                if (!s.isEmpty()) {
                    s.append('&');
                }
                s.append(e.getKey()).append('=').append(value);
            }
        }
        return s.toString();
    }
}
