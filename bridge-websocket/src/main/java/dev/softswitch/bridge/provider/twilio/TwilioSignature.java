package dev.softswitch.bridge.provider.twilio;

import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.ProviderUrls;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * {@code X-Twilio-Signature} (providers.md 1.5; twilio-python {@code request_validator.py}): Base64 of HMAC-SHA1, keyed
 * with the auth token, over the full URL followed by each POST parameter's name and value, names in code point order,
 * a repeated name's values sorted and de-duplicated. A GET signs the URL alone. A JSON body is covered by a
 * {@code bodySHA256} query parameter (hex SHA-256 of the raw body) and the URL is signed with no parameters. The SDK
 * accepts a signature over the URL with or without its default port (:443, :80), and so do we. Pure; comparisons are
 * constant-time.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";

    private TwilioSignature() {}

    /** The signature Twilio sends for {@code url} and {@code params}. */
    public static String compute(String authToken, String url, Map<String, List<String>> params) {
        StringBuilder signed = new StringBuilder(url);
        for (Map.Entry<String, List<String>> param : new TreeMap<>(params).entrySet()) {
            for (String value : new TreeSet<>(param.getValue())) {
                signed.append(param.getKey()).append(value);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return java.util.Base64.getEncoder()
                    .encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is Twilio's for a form POST (or, with no params, a GET or a media socket upgrade). */
    public static boolean valid(
            String authToken, @Nullable String signature, String url, Map<String, List<String>> params) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String variant : portVariants(url)) {
            ok |= MessageDigest.isEqual(
                    given, compute(authToken, variant, params).getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** Whether {@code signature} is Twilio's for a JSON body: {@code bodySHA256} matches the body, and the URL is signed. */
    public static boolean validJson(String authToken, @Nullable String signature, String url, byte[] body) {
        int q = url.indexOf('?');
        List<String> hashes = Forms.parse(q < 0 ? null : url.substring(q + 1)).get("bodySHA256");
        if (hashes == null || hashes.size() != 1) {
            return false;
        }
        boolean hashOk = MessageDigest.isEqual(
                bodySha256(body).getBytes(StandardCharsets.US_ASCII),
                hashes.get(0).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        return valid(authToken, signature, url, Map.of()) && hashOk;
    }

    /** Hex SHA-256 of the raw body, as Twilio puts it in {@code bodySHA256}. */
    public static String bodySha256(byte[] body) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The URL as given, and with its default port added (when it has none) or removed (when it has it). */
    static List<String> portVariants(String url) {
        return ProviderUrls.portVariants(url);
    }
}
