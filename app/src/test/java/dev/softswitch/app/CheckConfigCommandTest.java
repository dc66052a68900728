package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code softswitch check-config} run in-process, with its output captured and a made-up environment. */
class CheckConfigCommandTest {

    static final Path EXAMPLE = Path.of("..", "examples", "softswitch.yaml");

    static final Map<String, String> EXAMPLE_ENV = Map.of(
            "SUPPORT_API_KEY", "sk-support-0123456789",
            "CARRIER_PASSWORD", "carrier-digest-pw",
            "CARRIER_OUTBOUND_PASSWORD", "carrier-outbound-pw",
            "ALICE_PASSWORD", "alice-digest-pw",
            "SOFTSWITCH_API_KEY", "api-ops-0123456789abcdef",
            "TWILIO_AUTH_TOKEN", "twilio-auth-token-0123");

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        CheckConfigCommand command = cli.getSubcommands().get("check-config").getCommand();
        command.environment = env::get;
        String[] argv = new String[args.length + 1];
        argv[0] = "check-config";
        System.arraycopy(args, 0, argv, 1, args.length);
        return cli.execute(argv);
    }

    @Test
    void theExampleIsValidAndSummarisedWithoutSecrets() {
        int status = run(EXAMPLE_ENV, EXAMPLE.toString());

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString())
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        EXAMPLE + ": valid",
                        "  listen      0.0.0.0, advertised as 203.0.113.10",
                        "  sip         port 5060 over udp, tcp",
                        "  http        port 8080",
                        "  rtp         ports 10000-20000 (5000 calls)",
                        "  codecs      G722, PCMU, PCMA",
                        "  limits      200 calls at once, 20 new per second",
                        "  assistants  3: support (echo, 1 API key), tone-test (tone), sales (websocket)",
                        "  trunks      1: carrier",
                        "  pbx users   1: alice",
                        ""));
        for (String secret : EXAMPLE_ENV.values()) {
            assertThat(out.toString()).doesNotContain(secret);
        }
    }

    @Test
    void theExampleWithoutItsEnvironmentNamesEachMissingVariable() {
        int status = run(Map.of(), EXAMPLE.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .hasSize(7)
                .allMatch(line -> line.startsWith(EXAMPLE + ":"))
                .anyMatch(line -> line.endsWith(
                        ": assistants[0].api_keys[0]: environment variable SUPPORT_API_KEY is" + " not set"))
                .anyMatch(
                        line -> line.endsWith(": trunks[0].password: environment variable CARRIER_PASSWORD is not set"))
                .anyMatch(line ->
                        line.endsWith(": pbx_users[0].password: environment variable ALICE_PASSWORD is not set"))
                .last()
                .isEqualTo(EXAMPLE + ": 6 errors, not valid");
    }

    @Test
    void errorsGoToStderrAsFileLineColumnFieldMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("softswitch.yaml"), """
                listen:
                  sip_prot: 5060
                assistants:
                  - id: support
                    kind: dialogflow
                trunks:
                  - name: carrier
                    networks: [10.0.0.0/33]
                    routes: {default: support}
                """);

        int status = run(Map.of(), file.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .containsExactly(
                        file + ":2:3: listen.sip_prot: unknown key \"sip_prot\" (did you mean \"sip_port\"?)",
                        file
                                + ":5:11: assistants[0].kind: unknown kind \"dialogflow\" (known kinds: echo, tone, websocket,"
                                + " openai-realtime)",
                        file + ":8:16: trunks[0].networks[0]: \"10.0.0.0/33\" is not a CIDR network (prefix must be"
                                + " 0-32 for IPv4)",
                        file + ": 3 errors, not valid");
    }

    @Test
    void warningsAccompanyAValidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("softswitch.yaml"), """
                assistants:
                  - id: support
                    kind: echo
                    api_keys: [sk-inline-0123456789]
                """);

        int status = run(Map.of(), file.toString());

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains(file + ": valid")
                .contains("  listen      127.0.0.1" + System.lineSeparator())
                .contains("  limits      none")
                .contains("  assistants  1: support (echo, 1 API key)")
                .contains("  trunks      0" + System.lineSeparator())
                .doesNotContain("sk-inline-0123456789");
        assertThat(err.toString().lines())
                .containsExactly(
                        file + ":4:16: warning: assistants[0].api_keys[0]: a secret written in the file: put it"
                                + " in an environment variable (${env:NAME}) or a file (${file:/path})");
    }

    @Test
    void aMissingFileIsOneLineAndStatus1() {
        Path missing = dir.resolve("nope.yaml");

        int status = run(Map.of(), missing.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("softswitch: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void aDirectoryIsNotAFile() {
        int status = run(Map.of(), dir.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("softswitch: " + dir + ": is a directory" + System.lineSeparator());
    }

    @Test
    void withoutAFileItIsAUsageError() {
        int status = run(Map.of());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }
}
