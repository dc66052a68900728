package dev.softswitch.config.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made at test time with the JDK's keytool, into a test's own directory: a PKCS#12 keystore
 * and the same key and certificate as PEM files. Nothing here is a real secret, and nothing is committed.
 */
public final class TestCertificates {

    /** The password of the test keystores (and their keys). */
    public static final String PASSWORD = "test-only-keystore-password";

    private TestCertificates() {}

    /**
     * A key and certificate made by keytool.
     *
     * @param keystore the PKCS#12 keystore holding both
     * @param cert the certificate as PEM
     * @param key the private key as PEM (PKCS#8, unencrypted)
     */
    public record Issued(Path keystore, Path cert, Path key) {}

    /** An EC (P-256) key and a certificate for {@code CN=name} with {@code san} ({@code dns:localhost,ip:127.0.0.1}). */
    public static Issued ec(Path dir, String name, String san) throws IOException, InterruptedException {
        return issue(dir, name, san, List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }

    /** The same with an RSA (2048) key. */
    public static Issued rsa(Path dir, String name, String san) throws IOException, InterruptedException {
        return issue(dir, name, san, List.of("-keyalg", "RSA", "-keysize", "2048", "-validity", "2"));
    }

    /** An EC certificate that expired yesterday. */
    public static Issued expired(Path dir, String name) throws IOException, InterruptedException {
        return issue(
                dir,
                name,
                "dns:localhost",
                List.of("-keyalg", "EC", "-groupname", "secp256r1", "-startdate", "-3d", "-validity", "1"));
    }

    /** Runs keytool with {@code args}, failing the test with its output when it fails. */
    public static void keytool(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("keytool " + args + " failed:\n" + output);
        }
    }

    private static Issued issue(Path dir, String name, String san, List<String> keyArgs)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keystore = dir.resolve(name + ".p12");
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=" + san,
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        args.addAll(keyArgs);
        keytool(dir, args);
        try {
            KeyStore store = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
            Certificate cert = store.getCertificate(name);
            Path certFile = dir.resolve(name + "-cert.pem");
            Path keyFile = dir.resolve(name + "-key.pem");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return new Issued(keystore, certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keytool's keystore does not open", e);
        }
    }

    /** {@code der} as a PEM block with {@code label}. */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label + "-----\n";
    }
}
