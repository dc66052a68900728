package dev.softswitch.bridge.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The two JWTs Vonage uses (RFC 7519, compact form): HS256 with the account's signature secret on the webhooks it sends
 * us (verified here, constant-time), and RS256 with the application's private key on the REST requests we send it.
 * Pure.
 */
public final class VonageJwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder URL = Base64.getUrlDecoder();
    private static final Base64.Encoder URL_OUT = Base64.getUrlEncoder().withoutPadding();

    private VonageJwt() {}

    /** The claims of {@code token} when it is an HS256 JWT signed with {@code secret}; null otherwise. */
    public static @Nullable JsonNode verifyHs256(String token, String secret) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(URL.decode(parts[0]));
            if (header == null || !"HS256".equals(header.path("alg").asText())) {
                return null;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, URL.decode(parts[2]))) {
                return null;
            }
            JsonNode claims = JSON.readTree(URL.decode(parts[1]));
            return claims != null && claims.isObject() ? claims : null;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    /** Hex SHA-256 of a body, as {@code payload_hash} carries it. */
    public static String payloadHash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An RS256 JWT of {@code claims}, signed with a PKCS#8 PEM private key. */
    public static String signRs256(ObjectNode claims, String privateKeyPem) {
        String header = URL_OUT.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = URL_OUT.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey(privateKeyPem));
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + URL_OUT.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("providers.vonage.private_key cannot sign: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a PKCS#8 PEM key (BEGIN PRIVATE KEY)", e);
        }
    }
}
