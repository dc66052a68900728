package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve}'s TLS flags refused before anything starts: each mistake gets a message naming the flag. Nothing here
 * binds a port (a valid set of flags would start a server, and is {@link TlsIT}'s business).
 */
class TlsFlagsTest {

    @TempDir
    Path dir;

    final StringWriter err = new StringWriter();

    int serve(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        String[] argv = new String[args.length + 1];
        argv[0] = "serve";
        System.arraycopy(args, 0, argv, 1, args.length);
        return cli.execute(argv);
    }

    @Test
    void certificateFlagsWithoutAPortSayWhatIsMissing() {
        assertThat(serve("--tls-cert", "fullchain.pem", "--tls-key", "privkey.pem"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--tls-* flags need --tls-port N (SIP over TLS is off without it or listen.tls)");
    }

    @Test
    void aPortWithoutACertificateIsRefused() {
        assertThat(serve("--tls-port", "5061")).isEqualTo(2);
        assertThat(err.toString())
                .contains("SIP over TLS needs a certificate: --tls-cert FILE and --tls-key FILE (PEM), or"
                        + " --tls-keystore FILE and --tls-keystore-password REF");
    }

    @Test
    void aMissingKeyFileNamesTheFlagAndTheFile() throws Exception {
        TlsCertificates.Issued cert = TlsCertificates.issue(dir, "flags", "dns:localhost");
        Path missing = dir.resolve("missing-key.pem");
        assertThat(serve("--tls-port", "5061", "--tls-cert", cert.cert().toString(), "--tls-key", missing.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--tls-key: no such file: " + missing);
    }

    @Test
    void aKeystorePasswordIsAReferenceNeverThePasswordItself() throws Exception {
        Path keystore = Files.writeString(dir.resolve("sip.p12"), "not read");
        assertThat(serve(
                        "--tls-port",
                        "5061",
                        "--tls-keystore",
                        keystore.toString(),
                        "--tls-keystore-password",
                        "hunter2"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--tls-keystore-password takes ${env:NAME} or ${file:/path}, not the password itself")
                .doesNotContain("hunter2");
    }

    @Test
    void anUnknownClientAuthModeIsRefused() throws Exception {
        TlsCertificates.Issued cert = TlsCertificates.issue(dir, "auth", "dns:localhost");
        assertThat(serve(
                        "--tls-port",
                        "5061",
                        "--tls-cert",
                        cert.cert().toString(),
                        "--tls-key",
                        cert.key().toString(),
                        "--tls-client-auth",
                        "sometimes"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--tls-client-auth sometimes: give none, want or need");
    }
}
