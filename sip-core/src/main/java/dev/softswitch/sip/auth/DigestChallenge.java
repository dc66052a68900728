package dev.softswitch.sip.auth;

import java.util.List;

/**
 * A digest challenge for a {@code WWW-Authenticate} (401) or {@code Proxy-Authenticate} (407) header.
 *
 * <p>RFC 8760 2.4: a server that supports SHA-256 and MD5 sends one challenge per algorithm, most preferred first, so
 * {@link #headerValues()} gives two values (SHA-256 then MD5), each to go into its own header. Both carry the same
 * nonce. {@code stale=true} (RFC 2617 3.2.1) tells the client its password was right but its nonce had expired, so
 * it retries with the new nonce without asking the user.
 *
 * @param realm the protection space, e.g. {@code softswitch}
 * @param nonce a fresh nonce from {@link NonceService#newNonce()}
 * @param opaque returned unchanged by the client
 * @param stale whether the client's nonce had expired
 */
public record DigestChallenge(String realm, String nonce, String opaque, boolean stale) {

    public DigestChallenge {
        requireHeaderSafe(realm, "realm");
        requireHeaderSafe(nonce, "nonce");
        requireHeaderSafe(opaque, "opaque");
    }

    /** The preferred (SHA-256) challenge. */
    public String headerValue() {
        return headerValue(DigestAlgorithm.SHA_256);
    }

    /**
     * One challenge, e.g. {@code Digest realm="softswitch", nonce="...", opaque="...", algorithm=SHA-256,
     * qop="auth"}, followed by {@code , stale=true} when stale.
     */
    public String headerValue(DigestAlgorithm algorithm) {
        StringBuilder value = new StringBuilder(160)
                .append("Digest realm=")
                .append(quoted(realm))
                .append(", nonce=")
                .append(quoted(nonce))
                .append(", opaque=")
                .append(quoted(opaque))
                .append(", algorithm=")
                .append(algorithm.token())
                .append(", qop=\"auth\"");
        if (stale) {
            value.append(", stale=true");
        }
        return value.toString();
    }

    /**
     * The order this softswitch sends challenges in: MD5 first, as many PBXs and test tools (SIPp 3.6) read only the
     * first challenge and know only MD5; SHA-256 answers are accepted all the same.
     */
    public static final List<DigestAlgorithm> INTEROP_ORDER = List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);

    /** RFC 8760 2.4: the SHA-256 challenge then the MD5 one, each for its own header. */
    public List<String> headerValues() {
        return headerValues(List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5));
    }

    /**
     * One challenge per algorithm, in the order given. Many deployed user agents (SIPp 3.6, older PBXs) read only the
     * first challenge and know only MD5, so a server that must admit them lists MD5 first; clients that can do
     * SHA-256 may still answer with it, as the nonce is the same.
     */
    public List<String> headerValues(List<DigestAlgorithm> order) {
        return order.stream().map(this::headerValue).toList();
    }

    /** RFC 3261 25.1 quoted-string: a backslash escapes {@code "} and {@code \}. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static void requireHeaderSafe(String text, String name) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(name + " must not contain control characters");
            }
        }
    }
}
