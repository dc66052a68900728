package dev.softswitch.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A key pair a test signs provider webhooks with, as the provider would. */
final class TestKeys {

    private final KeyPair pair;
    private final String algorithm;

    private TestKeys(KeyPair pair, String algorithm) {
        this.pair = pair;
        this.algorithm = algorithm;
    }

    static TestKeys ed25519() {
        try {
            return new TestKeys(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as Telnyx's portal shows it: base64 of the raw 32 bytes (the end of the X.509 encoding). */
    String publicKeyBase64() {
        byte[] spki = pair.getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    /** Base64 of the signature over the UTF-8 of {@code text}. */
    String sign(String text) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(pair.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
