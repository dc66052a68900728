package dev.softswitch.config;

import static dev.softswitch.config.ConfigErrorsTest.ASSISTANT;
import static dev.softswitch.config.ConfigErrorsTest.FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softswitch.config.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listen.tls}: SIP over TLS in the configuration file. Every error is the exact line a user sees, naming the
 * field at fault: the certificate file, the key, the keystore or its password.
 */
class TlsConfigTest {

    @TempDir
    static Path dir;

    private static TestCertificates.Issued server;
    private static TestCertificates.Issued other;

    private static final SecretResolver ENV = SecretResolver.withEnvironment(
            Map.of("TLS_KEYSTORE_PASSWORD", TestCertificates.PASSWORD, "WRONG_PASSWORD", "not-the-password"));

    @BeforeAll
    static void issue() throws Exception {
        server = TestCertificates.ec(dir, "sip", "dns:localhost,ip:127.0.0.1");
        other = TestCertificates.ec(dir, "other", "dns:other.example.test");
    }

    private static LoadedConfig load(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml + ASSISTANT, FILE, ENV);
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void pemFilesTurnTlsOnWithItsDefaults() throws Exception {
        TlsConfig tls = load("""
                        listen:
                          transports: [udp, tcp, tls]
                          tls:
                            cert: %s
                            key: %s
                        """.formatted(server.cert(), server.key()))
                .config()
                .listen()
                .tls();
        assertThat(tls).isNotNull();
        assertThat(tls.port()).isEqualTo(5061);
        assertThat(tls.cert()).isEqualTo(server.cert());
        assertThat(tls.key()).isEqualTo(server.key());
        assertThat(tls.clientAuth()).isEqualTo(TlsClientAuth.NONE);
        assertThat(tls.caFile()).isNull();
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void tlsNamedInTransportsStaysOutOfTheUdpAndTcpList() throws Exception {
        ListenConfig listen =
                load("""
                        listen:
                          transports: [udp, tls]
                          tls: {cert: %s, key: %s, port: 5071}
                        """.formatted(server.cert(), server.key())).config().listen();
        assertThat(listen.transports()).containsExactly("udp");
        assertThat(listen.tls().port()).isEqualTo(5071);
    }

    @Test
    void aKeystoreAndItsPasswordReferenceGoIntoTheVaultHidden() throws Exception {
        LoadedConfig loaded = load("""
                listen:
                  tls:
                    port: 5062
                    keystore: %s
                    keystore_password: ${env:TLS_KEYSTORE_PASSWORD}
                    client_auth: want
                    ca_file: %s
                    handshake_timeout: 3s
                """.formatted(server.keystore(), other.cert()));
        TlsConfig tls = loaded.config().listen().tls();
        assertThat(tls.keystore()).isEqualTo(server.keystore());
        assertThat(tls.clientAuth()).isEqualTo(TlsClientAuth.WANT);
        assertThat(tls.caFile()).isEqualTo(other.cert());
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(tls.toString()).doesNotContain(TestCertificates.PASSWORD);
        Secret password = loaded.vault().get(CredentialVault.TLS_KEYSTORE_PASSWORD);
        assertThat(password.reveal()).isEqualTo(TestCertificates.PASSWORD);
        assertThat(password.origin()).isEqualTo("${env:TLS_KEYSTORE_PASSWORD}");
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void aMissingCertificateFileIsTheCertFieldsError() {
        assertThat(errors("""
                        listen:
                          tls:
                            cert: /nonexistent/fullchain.pem
                            key: %s
                        """.formatted(server.key())))
                .containsExactly("softswitch.yaml:3:11: listen.tls.cert: no such file: /nonexistent/fullchain.pem");
    }

    @Test
    void aWrongKeystorePasswordIsThePasswordFieldsErrorWithoutThePassword() {
        List<String> errors = errors("""
                listen:
                  tls:
                    keystore: %s
                    keystore_password: ${env:WRONG_PASSWORD}
                """.formatted(server.keystore()));
        assertThat(errors)
                .containsExactly("softswitch.yaml:4:24: listen.tls.keystore_password: wrong password for the keystore "
                        + server.keystore() + " (from ${env:WRONG_PASSWORD})");
        assertThat(String.join("\n", errors)).doesNotContain("not-the-password");
    }

    @Test
    void aKeyOfAnotherCertificateIsTheKeyFieldsError() {
        assertThat(errors("""
                        listen:
                          tls:
                            cert: %s
                            key: %s
                        """.formatted(server.cert(), other.key())))
                .containsExactly("softswitch.yaml:4:10: listen.tls.key: " + other.key()
                        + " is not the key of the certificate in " + server.cert()
                        + " (CN=sip): their public keys differ");
    }

    @Test
    void aCaFileWithoutCertificatesIsTheCaFilesError() {
        assertThat(errors("""
                        listen:
                          tls:
                            cert: %s
                            key: %s
                            ca_file: %s
                        """.formatted(server.cert(), server.key(), server.key())))
                .containsExactly("softswitch.yaml:5:14: listen.tls.ca_file: " + server.key()
                        + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----); it holds a private key:"
                        + " is it the key file?");
    }

    @Test
    void theKeySourceMustBeOneWholePair() {
        assertThat(errors("listen:\n  tls:\n    port: 5061\n"))
                .containsExactly("softswitch.yaml:3:5: listen.tls.cert: required: cert and key (PEM files, such as"
                        + " Let's Encrypt's fullchain.pem and privkey.pem), or keystore and keystore_password"
                        + " (PKCS#12)");
        assertThat(errors("listen:\n  tls:\n    cert: %s\n".formatted(server.cert())))
                .containsExactly("softswitch.yaml:3:5: listen.tls.key: required with cert: the PEM private key of that"
                        + " certificate");
        assertThat(errors("listen:\n  tls:\n    keystore: %s\n".formatted(server.keystore())))
                .containsExactly("softswitch.yaml:3:5: listen.tls.keystore_password: required with keystore: its"
                        + " password, as ${env:NAME} or ${file:/path}");
        assertThat(errors("""
                        listen:
                          tls:
                            cert: %s
                            key: %s
                            keystore: %s
                            keystore_password: ${env:TLS_KEYSTORE_PASSWORD}
                        """.formatted(server.cert(), server.key(), server.keystore())))
                .containsExactly("softswitch.yaml:5:15: listen.tls.keystore: give cert and key (PEM files), or"
                        + " keystore and keystore_password (PKCS#12), not both");
    }

    @Test
    void settingsOutOfRange() {
        assertThat(errors("""
                        listen:
                          sip_port: 5080
                          tls:
                            port: 5080
                            cert: %s
                            key: %s
                            client_auth: maybe
                            handshake_timeout: 5m
                        """.formatted(server.cert(), server.key())))
                .containsExactly(
                        "softswitch.yaml:4:11: listen.tls.port: 5080 is also listen.sip_port (SIP over TCP): give TLS"
                                + " a port of its own, such as 5061",
                        "softswitch.yaml:7:18: listen.tls.client_auth: unknown value \"maybe\" (none: no client"
                                + " certificate; want: checked when given; need: required)",
                        "softswitch.yaml:8:24: listen.tls.handshake_timeout: 300s is too long: at most 60s (a silent"
                                + " client holds a socket that long)");
    }

    @Test
    void tlsInTransportsNeedsItsSection() {
        assertThat(errors("listen:\n  transports: [udp, tls]\n"))
                .containsExactly("softswitch.yaml:2:21: listen.transports[1]: tls needs listen.tls: its port and"
                        + " certificate (cert and key, or keystore)");
        assertThat(errors("""
                        listen:
                          transports: [tls]
                          tls: {cert: %s, key: %s}
                        """.formatted(server.cert(), server.key())))
                .containsExactly("softswitch.yaml:2:15: listen.transports: list udp or tcp too: SIP over TLS"
                        + " (listen.tls) comes beside them, not instead");
    }

    @Test
    void aTrunkMayCallOutOverTls() throws Exception {
        OutboundTrunk outbound = load("""
                        trunks:
                          - name: carrier
                            outbound: {host: sip.carrier.example, transport: tls}
                        """).config().trunks().get(0).outbound();
        assertThat(outbound.transport()).isEqualTo("tls");
    }
}
