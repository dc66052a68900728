package dev.softswitch.sip.auth;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The digest credentials of an {@code Authorization} or {@code Proxy-Authorization} value (RFC 3261 22.4, RFC 2617
 * 3.2.2, RFC 7616 3.4). Values are as the client sent them, unquoted; {@link #toString()} masks the response.
 *
 * @param username the user, as looked up in {@link PasswordLookup}
 * @param realm the realm the client answers
 * @param nonce the nonce the client answers
 * @param uri the digest-uri, which must equal the Request-URI
 * @param response the request digest, lowercase hexadecimal of the algorithm's length
 * @param algorithm {@link DigestAlgorithm#MD5} when absent
 * @param qop the quality of protection, normally {@code auth}; null in RFC 2069 compatibility mode
 * @param nc the nonce count, eight hexadecimal digits exactly as sent; present whenever qop is
 * @param cnonce the client nonce; present whenever qop is
 * @param opaque the opaque value of our challenge, if returned
 */
public record DigestCredentials(
        String username,
        String realm,
        String nonce,
        String uri,
        String response,
        DigestAlgorithm algorithm,
        @Nullable String qop,
        @Nullable String nc,
        @Nullable String cnonce,
        @Nullable String opaque) {

    private static final int NC_LENGTH = 8;

    /**
     * Parses a {@code Digest} credentials value, e.g. {@code Digest username="alice", realm="softswitch",
     * nonce="...", uri="sip:softswitch.example", response="...", algorithm=SHA-256, qop=auth, nc=00000001,
     * cnonce="..."}.
     *
     * @throws DigestParseException when the scheme is not Digest, a required parameter is missing, a parameter is
     *     repeated, {@code nc} is not eight hexadecimal digits, the response has the wrong length, or the algorithm is
     *     not supported
     */
    public static DigestCredentials parse(String authorizationHeaderValue) throws DigestParseException {
        Map<String, String> params = AuthParams.parse(authorizationHeaderValue, "Digest");
        String username = required(params, "username");
        String realm = required(params, "realm");
        String nonce = required(params, "nonce");
        String uri = required(params, "uri");
        String response = required(params, "response");

        String algorithmToken = params.get("algorithm");
        DigestAlgorithm algorithm = algorithmToken == null
                ? DigestAlgorithm.MD5
                : DigestAlgorithm.fromToken(algorithmToken)
                        .orElseThrow(
                                () -> new DigestParseException("unsupported algorithm" + shownToken(algorithmToken)));
        if ("true".equalsIgnoreCase(params.get("userhash"))) { // RFC 7616 3.4.4; we never offer it
            throw new DigestParseException("userhash is not supported");
        }

        String qop = params.get("qop");
        String nc = params.get("nc");
        String cnonce = params.get("cnonce");
        if (qop != null) { // RFC 2617 3.2.2: cnonce and nc MUST be sent with qop
            if (nc == null) {
                throw new DigestParseException("missing parameter 'nc' (required with qop)");
            }
            if (cnonce == null) {
                throw new DigestParseException("missing parameter 'cnonce' (required with qop)");
            }
        }
        if (nc != null && !isHex(nc, NC_LENGTH)) {
            throw new DigestParseException("nc must be " + NC_LENGTH + " hexadecimal digits");
        }
        if (algorithm.session() && cnonce == null) {
            throw new DigestParseException("algorithm " + algorithm.token() + " requires 'cnonce'");
        }
        int responseLength = algorithm.hexLength();
        if (!isHex(response, responseLength)) {
            throw new DigestParseException(
                    "response must be " + responseLength + " hexadecimal digits for " + algorithm.token());
        }
        return new DigestCredentials(
                username,
                realm,
                nonce,
                uri,
                response.toLowerCase(Locale.ROOT),
                algorithm,
                qop,
                nc,
                cnonce,
                params.get("opaque"));
    }

    /** The nonce count as a number; 0 when absent. */
    public long nonceCount() {
        return nc == null ? 0 : HexFormat.fromHexDigitsToLong(nc);
    }

    /** Everything but the response, which is masked. */
    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", realm=" + realm + ", nonce=" + nonce + ", uri=" + uri
                + ", response=***, algorithm=" + algorithm.token() + ", qop=" + qop + ", nc=" + nc + ", cnonce="
                + cnonce + ", opaque=" + opaque + "]";
    }

    private static String required(Map<String, String> params, String name) throws DigestParseException {
        String value = params.get(name);
        if (value == null) {
            throw new DigestParseException("missing parameter '" + name + "'");
        }
        return value;
    }

    private static boolean isHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) { // ASCII only, unlike Character.digit
                return false;
            }
        }
        return true;
    }

    /** An algorithm name for an error message, only when it is a short plain token. */
    private static String shownToken(String token) {
        return token.length() <= 20
                        && token.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))
                ? " '" + token + "'"
                : "";
    }
}
