package dev.softswitch.bridge.provider.telnyx;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Telnyx's webhook signature (providers.md 5.4): {@code telnyx-signature-ed25519} is base64 of an Ed25519 signature
 * over {@code telnyx-timestamp + "|" + rawBody}, by the account's key; {@code telnyx-timestamp} is Unix seconds and
 * must be within {@link #TOLERANCE} of now. The public key is the portal's base64 of 32 raw bytes, wrapped here as an
 * X.509 SubjectPublicKeyInfo for the JDK. Pure but for the clock reading passed in.
 */
public final class TelnyxSignature {

    public static final String SIGNATURE = "telnyx-signature-ed25519";
    public static final String TIMESTAMP = "telnyx-timestamp";
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Why a signature was not accepted; null when it was. */
    public enum Problem {
        MISSING("the telnyx-signature-ed25519 and telnyx-timestamp headers are required"),
        STALE("telnyx-timestamp is more than 5 minutes from now: a stale or replayed webhook"),
        WRONG("telnyx-signature-ed25519 does not match the body (is providers.telnyx.public_key this account's?)");

        private final String reason;

        Problem(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final PublicKey key;

    /** @param publicKeyBase64 the 32 raw bytes of the Ed25519 public key, base64 */
    public TelnyxSignature(String publicKeyBase64) {
        byte[] raw = Base64.getDecoder().decode(publicKeyBase64);
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + raw.length);
        }
        byte[] spki = new byte[SPKI_PREFIX.length + 32];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, 32);
        try {
            this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** What is wrong with a webhook's signature, or null when it is Telnyx's and fresh. */
    public @Nullable Problem check(@Nullable String signature, @Nullable String timestamp, byte[] body, Instant now) {
        if (signature == null || timestamp == null) {
            return Problem.MISSING;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Problem.WRONG;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
            return Problem.STALE;
        }
        byte[] prefix = (timestamp.strip() + "|").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(Base64.getDecoder().decode(signature.strip())) ? null : Problem.WRONG;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Problem.WRONG;
        }
    }
}
