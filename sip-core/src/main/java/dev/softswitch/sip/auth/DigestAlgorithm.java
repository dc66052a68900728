package dev.softswitch.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest algorithms we verify, by their {@code algorithm} token: MD5 (RFC 2617) and SHA-256 (RFC 7616 3.2, RFC
 * 8760), each with its {@code -sess} variant. SHA-512-256 is not offered and its credentials fail to parse.
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false),
    MD5_SESS("MD5-sess", "MD5", true),
    SHA_256("SHA-256", "SHA-256", false),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true);

    private final String token;
    private final String jcaName;
    private final boolean session;

    DigestAlgorithm(String token, String jcaName, boolean session) {
        this.token = token;
        this.jcaName = jcaName;
        this.session = session;
    }

    /** The token as written in the {@code algorithm} parameter, e.g. {@code SHA-256}. */
    public String token() {
        return token;
    }

    /** Whether HA1 is the session key of RFC 7616 3.4.2: {@code H(H(user:realm:password):nonce:cnonce)}. */
    public boolean session() {
        return session;
    }

    /** The length of {@link #hash} output in hexadecimal digits: 32 for MD5, 64 for SHA-256. */
    public int hexLength() {
        return newDigest().getDigestLength() * 2;
    }

    /** {@code H(data)}: the lowercase hexadecimal digest of the UTF-8 bytes of {@code data}. */
    public String hash(String data) {
        return HexFormat.of().formatHex(newDigest().digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** The algorithm named by a token, compared case-insensitively as RFC 7616 3.4 asks. */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.token.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 and SHA-256 (MessageDigest javadoc).
            throw new IllegalStateException(jcaName + " is missing from this JDK", e);
        }
    }
}
