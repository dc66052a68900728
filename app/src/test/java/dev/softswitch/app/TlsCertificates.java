package dev.softswitch.app;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed test certificates, made at test time by the JDK's keytool into the test's own directory (PKCS#12 and
 * PEM); never committed, never a real secret. Also the client side: a TLS context that trusts given certificates.
 */
final class TlsCertificates {

    static final String PASSWORD = "test-only-keystore-password";

    private TlsCertificates() {}

    /** A key and its certificate: as a keystore, and as PEM certificate and PKCS#8 key files. */
    record Issued(Path keystore, Path cert, Path key) {}

    /** An EC (P-256) key and a self-signed certificate for {@code CN=name}, with {@code san} (keytool's syntax). */
    static Issued issue(Path dir, String name, String san) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keystore = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=" + san,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + output);
        }
        try {
            KeyStore store = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
            Path cert = dir.resolve(name + "-cert.pem");
            Path keyFile = dir.resolve(name + "-key.pem");
            Files.writeString(
                    cert, pem("CERTIFICATE", store.getCertificate(name).getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            return new Issued(keystore, cert, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM file holding the certificates of {@code issued}, one after the other: a CA file that trusts them. */
    static Path caFile(Path file, Issued... issued) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Issued i : issued) {
            text.append(Files.readString(i.cert()));
        }
        Files.writeString(file, text);
        return file;
    }

    /** A client TLS context that trusts the certificates of {@code issued} and nothing else. */
    static SSLContext trusting(Issued... issued) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < issued.length; i++) {
            KeyStore store = KeyStore.getInstance(issued[i].keystore().toFile(), PASSWORD.toCharArray());
            Certificate cert = store.getCertificate(store.aliases().nextElement());
            trusted.setCertificateEntry("trusted-" + i, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label + "-----\n";
    }
}
