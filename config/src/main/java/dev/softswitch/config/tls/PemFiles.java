package dev.softswitch.config.tls;

import dev.softswitch.config.tls.TlsMaterialException.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468): certificate chains ({@code CERTIFICATE}) and unencrypted private keys: PKCS#8
 * ({@code PRIVATE KEY}, what Let's Encrypt's certbot and {@code openssl req -x509 -noenc} write), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}, as acme.sh and lego write). Encrypted keys are refused
 * with the command that decrypts them: a key the softswitch cannot open without a password typed at start is of no use
 * to a daemon.
 */
public final class PemFiles {

    /** A PEM file holds a chain or one key: a bigger file is a mistake. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\R?(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemFiles() {}

    /** One PEM block: its label and its decoded content (DER); never compared, so the array is fine. */
    @SuppressWarnings("ArrayRecordComponent")
    record Block(String label, byte[] der) {}

    /** The blocks of a PEM text, in order; text outside blocks (comments, {@code Bag Attributes}) is ignored. */
    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                out.add(new Block("ENCRYPTED " + m.group(1), new byte[0]));
                continue;
            }
            // Headers (RFC 1421 style "Name: value") come before a blank line; the base64 follows.
            int headers = body.indexOf(':');
            if (headers >= 0) {
                int blank = body.indexOf("\n\n", headers);
                body = blank >= 0 ? body.substring(blank) : body;
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                out.add(new Block(m.group(1), new byte[0]));
            }
        }
        return out;
    }

    /**
     * The certificates of a PEM file, in file order (for a chain: the server's own first, as {@code fullchain.pem}).
     *
     * @throws TlsMaterialException (of {@code source}) when the file cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file, Source source) throws TlsMaterialException {
        String text = read(file, source);
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every Java platform has X.509", e);
        }
        List<X509Certificate> out = new ArrayList<>();
        int index = 0;
        for (Block block : blocks(text)) {
            if (!block.label().equals("CERTIFICATE") && !block.label().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            index++;
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new TlsMaterialException(
                        source, file + ": certificate " + index + " is not a valid X.509 certificate", e);
            }
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(
                    source,
                    file + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)"
                            + (blocks(text).stream().anyMatch(b -> b.label().contains("PRIVATE KEY"))
                                    ? "; it holds a private key: is it the key file?"
                                    : ""));
        }
        return out;
    }

    /**
     * The first private key of a PEM file.
     *
     * @throws TlsMaterialException (of {@link Source#KEY}) when the file cannot be read, holds no key, an encrypted
     *     one, or one the JDK cannot read
     */
    public static PrivateKey privateKey(Path file) throws TlsMaterialException {
        String text = read(file, Source.KEY);
        for (Block block : blocks(text)) {
            String label = block.label();
            if (label.startsWith("ENCRYPTED")) {
                throw new TlsMaterialException(
                        Source.KEY,
                        file + " holds an encrypted private key: decrypt it (openssl pkey -in " + file.getFileName()
                                + " -out key.pem) or use a PKCS#12 keystore with a password");
            }
            byte[] pkcs8;
            try {
                pkcs8 = switch (label) {
                    case "PRIVATE KEY" -> block.der();
                    case "RSA PRIVATE KEY" -> Der.pkcs8FromPkcs1(block.der());
                    case "EC PRIVATE KEY" -> Der.pkcs8FromSec1(block.der());
                    default -> null;
                };
            } catch (Der.DerException e) {
                throw new TlsMaterialException(
                        Source.KEY,
                        file + ": the " + label + " cannot be read (" + e.getMessage()
                                + "); convert it with openssl pkcs8 -topk8 -nocrypt",
                        e);
            }
            if (pkcs8 == null) {
                continue;
            }
            return decode(file, pkcs8);
        }
        throw new TlsMaterialException(
                Source.KEY,
                file + " holds no private key (expected PEM: -----BEGIN PRIVATE KEY-----)"
                        + (text.contains("BEGIN CERTIFICATE") ? "; it holds a certificate: is it the cert file?" : ""));
    }

    private static PrivateKey decode(Path file, byte[] pkcs8) throws TlsMaterialException {
        String algorithm;
        try {
            algorithm = switch (Der.pkcs8Algorithm(pkcs8)) {
                case Der.RSA -> "RSA";
                case Der.RSA_PSS -> "RSASSA-PSS";
                case Der.EC -> "EC";
                case Der.ED25519 -> "Ed25519";
                case Der.ED448 -> "Ed448";
                default -> "";
            };
        } catch (Der.DerException e) {
            throw new TlsMaterialException(Source.KEY, file + ": not a readable private key (" + e.getMessage() + ")");
        }
        if (algorithm.isEmpty()) {
            throw new TlsMaterialException(
                    Source.KEY, file + ": a private key of an algorithm other than RSA, EC or EdDSA");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(
                    Source.KEY, file + ": the " + algorithm + " private key cannot be read: " + e.getMessage(), e);
        }
    }

    /** The text of a PEM file, or a message that says why it cannot be had. */
    static String read(Path file, Source source) throws TlsMaterialException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsMaterialException(source, file + " is a directory, not a PEM file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new TlsMaterialException(source, file + " is larger than 1 MB: not a PEM file");
            }
            // Latin-1 reads any bytes: comments outside the blocks may be in any encoding.
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            if (!text.contains("-----BEGIN ")) {
                throw new TlsMaterialException(
                        source,
                        file + " is not a PEM file (no -----BEGIN line): a DER or PKCS#12 file? A PKCS#12 file is a"
                                + " keystore");
            }
            return text;
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(source, "no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException(source, file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new TlsMaterialException(source, file + " cannot be read: " + e.getMessage());
        }
    }
}
