package dev.softswitch.config.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.softswitch.config.Secret;
import dev.softswitch.config.tls.TlsMaterialException.Source;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a TLS key and certificate from PEM files and PKCS#12 keystores, and each way it can be wrong. */
class KeyMaterialTest {

    @TempDir
    static Path dir;

    private static TestCertificates.Issued ec;
    private static TestCertificates.Issued rsa;
    private static TestCertificates.Issued other;

    @BeforeAll
    static void issue() throws Exception {
        ec = TestCertificates.ec(dir, "sip-ec", "dns:localhost,ip:127.0.0.1");
        rsa = TestCertificates.rsa(dir, "sip-rsa", "dns:sip.example.test");
        other = TestCertificates.ec(dir, "other", "dns:other.example.test");
    }

    @Test
    void pemCertificateAndPkcs8KeyOfEitherKindLoad() throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(ec.cert(), ec.key());
        assertThat(material.key().getAlgorithm()).isEqualTo("EC");
        assertThat(material.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=sip-ec");
        assertThat(material.describe()).contains("CN=sip-ec", "localhost", "127.0.0.1", "valid until");

        KeyMaterial rsaMaterial = KeyMaterial.fromPem(rsa.cert(), rsa.key());
        assertThat(rsaMaterial.key().getAlgorithm()).isEqualTo("RSA");
        X509KeyManager manager = (X509KeyManager) rsaMaterial.keyManagers()[0];
        String[] aliases = manager.getServerAliases("RSA", null);
        assertThat(aliases).hasSize(1);
        assertThat(manager.getCertificateChain(aliases[0])).containsExactly(rsaMaterial.certificate());
    }

    @Test
    void theKeysCertificateGoesFirstWhereverItIsInTheChainFile() throws Exception {
        Path chain = dir.resolve("chain-other-first.pem");
        Files.writeString(chain, Files.readString(other.cert()) + Files.readString(ec.cert()));
        KeyMaterial material = KeyMaterial.fromPem(chain, ec.key());
        assertThat(material.chain()).hasSize(2);
        assertThat(material.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=sip-ec");
    }

    @Test
    void textAroundTheBlocksAsOpensslWritesItIsIgnored() throws Exception {
        Path key = dir.resolve("bag-attributes-key.pem");
        Files.writeString(
                key,
                "Bag Attributes\n    friendlyName: sip\nKey Attributes: <No Attributes>\n"
                        + Files.readString(ec.key()));
        assertThat(KeyMaterial.fromPem(ec.cert(), key).key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeystoreLoadsWithItsPassword() throws Exception {
        KeyMaterial material = KeyMaterial.fromKeystore(ec.keystore(), Secret.of(TestCertificates.PASSWORD));
        assertThat(material.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=sip-ec");
        assertThat(material.toString())
                .doesNotContain(material.key().toString())
                .contains("***");
    }

    @Test
    void aMissingFileSaysSoAndWhichSettingNamedIt() {
        Path missing = dir.resolve("nowhere.pem");
        assertThatThrownBy(() -> KeyMaterial.fromPem(missing, ec.key()))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.CERT))
                .hasMessage("no such file: " + missing);
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.cert(), missing))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.KEY));
        assertThatThrownBy(() -> KeyMaterial.fromKeystore(missing, Secret.of("x")))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.KEYSTORE))
                .hasMessage("no such file: " + missing);
    }

    @Test
    void aWrongKeystorePasswordIsThePasswordsErrorAndNeverShowsIt() {
        assertThatThrownBy(() -> KeyMaterial.fromKeystore(ec.keystore(), Secret.of("not-it", "${env:TLS_PASS}")))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.KEYSTORE_PASSWORD))
                .hasMessage("wrong password for the keystore " + ec.keystore() + " (from ${env:TLS_PASS})")
                .message()
                .doesNotContain("not-it");
    }

    @Test
    void aKeyOfAnotherCertificateIsTheKeysError() {
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.cert(), other.key()))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.KEY))
                .hasMessage(other.key() + " is not the key of the certificate in " + ec.cert()
                        + " (CN=sip-ec): their public keys differ");
        assertThatThrownBy(() -> KeyMaterial.fromPem(rsa.cert(), ec.key()))
                .hasMessageContaining("their public keys differ");
    }

    @Test
    void filesSwappedOrOfTheWrongKindAreNamed() throws Exception {
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.key(), ec.key()))
                .hasMessage(ec.key() + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----); it holds a"
                        + " private key: is it the key file?");
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.cert(), ec.cert()))
                .hasMessage(ec.cert() + " holds no private key (expected PEM: -----BEGIN PRIVATE KEY-----); it holds a"
                        + " certificate: is it the cert file?");
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.keystore(), ec.key()))
                .hasMessageStartingWith(ec.keystore() + " is not a PEM file (no -----BEGIN line)");
        assertThatThrownBy(() -> KeyMaterial.fromKeystore(ec.cert(), Secret.of("x")))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.KEYSTORE))
                .hasMessageStartingWith(ec.cert() + " is not a PKCS#12 or JKS keystore");
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheWayOut() throws Exception {
        Path encrypted = dir.resolve("encrypted-key.pem");
        Files.writeString(encrypted, TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> KeyMaterial.fromPem(ec.cert(), encrypted))
                .hasMessageStartingWith(encrypted + " holds an encrypted private key: decrypt it");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        TestCertificates.Issued old = TestCertificates.expired(dir, "expired");
        assertThatThrownBy(() -> KeyMaterial.fromPem(old.cert(), old.key()))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.source()).isEqualTo(Source.CERT))
                .hasMessageContaining("the certificate CN=expired expired on")
                .hasMessageEndingWith(": renew it");
    }

    @Test
    void aKeystoreWithTwoKeysAsksToKeepOne() throws Exception {
        Path two = dir.resolve("two.p12");
        Files.copy(ec.keystore(), two);
        TestCertificates.keytool(
                dir,
                List.of(
                        "-genkeypair",
                        "-alias",
                        "second",
                        "-dname",
                        "CN=second",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-keystore",
                        two.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        TestCertificates.PASSWORD,
                        "-keypass",
                        TestCertificates.PASSWORD));
        assertThatThrownBy(() -> KeyMaterial.fromKeystore(two, Secret.of(TestCertificates.PASSWORD)))
                .hasMessage(two + " holds 2 private keys (sip-ec, second): keep only the server's");
    }

    @Test
    void traditionalRsaAndEcKeysAsAcmeClientsWriteThemLoad() throws Exception {
        Path openssl = onPath("openssl");
        assumeThat(openssl).as("openssl is installed").isNotNull();
        Path pkcs1 = dir.resolve("rsa-pkcs1.pem");
        run(openssl, "pkey", "-in", rsa.key().toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).contains("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(KeyMaterial.fromPem(rsa.cert(), pkcs1).key().getAlgorithm()).isEqualTo("RSA");

        Path sec1 = dir.resolve("ec-sec1.pem");
        run(openssl, "pkey", "-in", ec.key().toString(), "-traditional", "-out", sec1.toString());
        Path withParameters = dir.resolve("ec-sec1-params.pem");
        run(openssl, "ecparam", "-name", "prime256v1", "-out", withParameters.toString());
        Files.writeString(withParameters, Files.readString(sec1), java.nio.file.StandardOpenOption.APPEND);
        assertThat(Files.readString(withParameters))
                .contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");
        assertThat(KeyMaterial.fromPem(ec.cert(), withParameters).key().getAlgorithm())
                .isEqualTo("EC");
    }

    private static void run(Path tool, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("%s %s: %s", tool, List.of(args), output)
                .isTrue();
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
