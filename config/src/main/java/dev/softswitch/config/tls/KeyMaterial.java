package dev.softswitch.config.tls;

import dev.softswitch.config.Secret;
import dev.softswitch.config.TlsConfig;
import dev.softswitch.config.tls.TlsMaterialException.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * The private key and certificate chain a TLS server presents, checked to belong together and to be valid now.
 *
 * @param key the private key
 * @param chain the certificate of {@code key} first, then the intermediates that vouch for it
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    public KeyMaterial {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key needs its certificate");
        }
    }

    /** The key and certificate {@code config} names (PEM files or a keystore). */
    public static KeyMaterial load(TlsConfig config) throws TlsMaterialException {
        Path keystore = config.keystore();
        Secret password = config.keystorePassword();
        if (keystore != null && password != null) {
            return fromKeystore(keystore, password);
        }
        return fromPem(Objects.requireNonNull(config.cert(), "cert"), Objects.requireNonNull(config.key(), "key"));
    }

    /**
     * A PEM certificate chain ({@code fullchain.pem}) and the PEM private key of one of its certificates
     * ({@code privkey.pem}); the key's certificate goes first whatever its place in the file.
     */
    public static KeyMaterial fromPem(Path certFile, Path keyFile) throws TlsMaterialException {
        List<X509Certificate> certificates = PemFiles.certificates(certFile, Source.CERT);
        PrivateKey key = PemFiles.privateKey(keyFile);
        for (int i = 0; i < certificates.size(); i++) {
            if (matches(key, certificates.get(i).getPublicKey())) {
                List<X509Certificate> chain = new ArrayList<>(certificates);
                Collections.swap(chain, 0, i);
                return checked(new KeyMaterial(key, chain), Source.CERT, certFile);
            }
        }
        throw new TlsMaterialException(
                Source.KEY,
                keyFile + " is not the key of the certificate in " + certFile + " (" + subject(certificates.get(0))
                        + "): their public keys differ");
    }

    /** The one private key of a PKCS#12 (or JKS) keystore and its chain; the key has the keystore's password. */
    public static KeyMaterial fromKeystore(Path file, Secret password) throws TlsMaterialException {
        if (Files.isDirectory(file)) {
            throw new TlsMaterialException(Source.KEYSTORE, file + " is a directory, not a keystore");
        }
        if (!Files.exists(file)) {
            throw new TlsMaterialException(Source.KEYSTORE, "no such file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new TlsMaterialException(Source.KEYSTORE, file + " cannot be read: permission denied");
        }
        char[] secret = password.reveal().toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsMaterialException(
                        Source.KEYSTORE_PASSWORD,
                        "wrong password for the keystore " + file + " (from " + password.origin() + ")");
            }
            throw new TlsMaterialException(
                    Source.KEYSTORE, file + " is not a PKCS#12 or JKS keystore: " + e.getMessage(), e);
        } catch (KeyStoreException e) {
            throw new TlsMaterialException(Source.KEYSTORE, file + " is not a PKCS#12 or JKS keystore", e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(Source.KEYSTORE, file + " cannot be opened: " + e.getMessage(), e);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new TlsMaterialException(
                        Source.KEYSTORE,
                        file
                                + (keys.isEmpty()
                                        ? " holds no private key (only certificates): it needs the server's key and chain"
                                        : " holds " + keys.size() + " private keys (" + String.join(", ", keys)
                                                + "): keep only the server's"));
            }
            String alias = keys.get(0);
            PrivateKey key;
            try {
                key = (PrivateKey) store.getKey(alias, secret);
            } catch (UnrecoverableKeyException e) {
                throw new TlsMaterialException(
                        Source.KEYSTORE_PASSWORD,
                        "the key \"" + alias + "\" in " + file + " has a password other than the keystore's: give"
                                + " both the same",
                        e);
            }
            Certificate[] chain = store.getCertificateChain(alias);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain == null ? new Certificate[0] : chain) {
                if (c instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
            if (key == null || certificates.isEmpty()) {
                throw new TlsMaterialException(
                        Source.KEYSTORE, file + ": the key \"" + alias + "\" has no X.509 certificate chain");
            }
            if (!matches(key, certificates.get(0).getPublicKey())) {
                throw new TlsMaterialException(
                        Source.KEYSTORE, file + ": the key \"" + alias + "\" is not the key of its certificate");
            }
            return checked(new KeyMaterial(key, certificates), Source.KEYSTORE, file);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(Source.KEYSTORE, file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The certificate presented: the key's own. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Key managers that present this key and chain (an in-memory store; nothing is written anywhere). */
    public KeyManager[] keyManagers() {
        try {
            char[] password = new char[16];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sip", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("an in-memory PKCS#12 store of a valid key failed", e);
        }
    }

    /** Who the certificate is for and until when: for the log at start. */
    public String describe() {
        X509Certificate c = certificate();
        String names = "";
        try {
            var alternatives = c.getSubjectAlternativeNames();
            if (alternatives != null) {
                names = " "
                        + alternatives.stream()
                                .map(n -> String.valueOf(n.get(1)))
                                .toList();
            }
        } catch (java.security.cert.CertificateParsingException e) {
            names = "";
        }
        return subject(c) + names + ", valid until " + c.getNotAfter().toInstant() + ", issued by "
                + c.getIssuerX500Principal().getName();
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static KeyMaterial checked(KeyMaterial material, Source source, Path file) throws TlsMaterialException {
        X509Certificate c = material.certificate();
        try {
            c.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsMaterialException(
                    source,
                    file + ": the certificate " + subject(c) + " expired on "
                            + c.getNotAfter().toInstant() + ": renew it");
        } catch (CertificateNotYetValidException e) {
            throw new TlsMaterialException(
                    source,
                    file + ": the certificate " + subject(c) + " is valid only from "
                            + c.getNotBefore().toInstant() + " (is this host's clock right?)");
        }
        return material;
    }

    /** Whether {@code key} is the private half of {@code publicKey}: same RSA modulus, or a signature that verifies. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey pub && rsa.getModulus().equals(pub.getModulus());
        }
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
                    default -> null;
                };
        if (algorithm == null || (!key.getAlgorithm().equals(publicKey.getAlgorithm()) && !algorithm.equals("EdDSA"))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // keys of different curves or kinds: not a pair
        }
    }

    /** Never the key: the record's default would print it. */
    @Override
    public String toString() {
        return "KeyMaterial[" + subject(certificate()) + ", " + chain.size() + " certificates, " + key.getAlgorithm()
                + " key ***]";
    }
}
