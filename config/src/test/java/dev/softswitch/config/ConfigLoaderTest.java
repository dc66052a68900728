package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final Map<String, String> EXAMPLE_ENV = Map.of(
            "SUPPORT_API_KEY", "sk-support-0123456789",
            "CARRIER_PASSWORD", "carrier-digest-pw",
            "CARRIER_OUTBOUND_PASSWORD", "carrier-outbound-pw",
            "ALICE_PASSWORD", "alice-digest-pw",
            "SOFTSWITCH_API_KEY", "api-ops-0123456789abcdef",
            "TWILIO_AUTH_TOKEN", "twilio-auth-token-0123");

    @TempDir
    Path dir;

    @Test
    void readsAFullFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("carrier"), "carrier-from-file\n");
        Path file = Files.writeString(dir.resolve("softswitch.yaml"), """
                listen:
                  bind: 0.0.0.0
                  advertise: 203.0.113.10
                  sip_port: 5080
                  transports: [UDP]
                  http_port: 0
                rtp:
                  ports: 20000-20999
                codecs: [pcma, G.722]
                limits:
                  max_concurrent_calls: 100
                  max_calls_per_second: 10
                assistants:
                  - id: support
                    kind: echo
                    greeting: "Hello"
                    error_message: "Sorry, something went wrong."
                    idle_timeout: 500ms
                    max_duration: 1h
                    api_keys: ["${env:SUPPORT_API_KEY}", "${env:SUPPORT_API_KEY_OLD}"]
                  - id: beep
                    kind: TONE
                trunks:
                  - name: carrier
                    networks: [198.51.100.0/24, 2001:db8::/32, 192.0.2.7]
                    username: acme
                    password: ${file:%s}
                    routes:
                      "+15551230000": support
                      default: beep
                    max_concurrent_calls: 50
                    max_calls_per_second: 5
                pbx_users:
                  - username: "1001"
                    password: ${env:PBX_1001}
                    assistant: support
                """.formatted(secret));
        SecretResolver env = SecretResolver.withEnvironment(
                Map.of("SUPPORT_API_KEY", "key-new", "SUPPORT_API_KEY_OLD", "key-old", "PBX_1001", "pbx-pw"));

        LoadedConfig loaded = ConfigLoader.load(file, env);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.file()).isEqualTo(file);
        SoftswitchConfig config = loaded.config();
        assertThat(config.listen()).isEqualTo(new ListenConfig("0.0.0.0", "203.0.113.10", 5080, List.of("udp"), 0));
        assertThat(config.rtp().ports()).isEqualTo(new PortRange(20000, 20999));
        assertThat(config.codecs()).containsExactly("PCMA", "G722");
        assertThat(config.limits()).isEqualTo(new CallLimits(100, 10));

        AssistantConfig support = config.assistant("support").orElseThrow();
        assertThat(support.kind()).isEqualTo(AssistantKind.ECHO);
        assertThat(support.greeting()).isEqualTo("Hello");
        assertThat(support.errorMessage()).isEqualTo("Sorry, something went wrong.");
        assertThat(support.idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(support.maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(support.apiKeys()).extracting(Secret::reveal).containsExactly("key-new", "key-old");
        assertThat(support.apiKeys())
                .extracting(Secret::origin)
                .containsExactly("${env:SUPPORT_API_KEY}", "${env:SUPPORT_API_KEY_OLD}");
        assertThat(config.assistant("beep").orElseThrow().kind()).isEqualTo(AssistantKind.TONE);

        TrunkConfig carrier = config.trunk("carrier").orElseThrow();
        assertThat(carrier.networks())
                .extracting(CidrNetwork::toString)
                .containsExactly("198.51.100.0/24", "2001:db8:0:0:0:0:0:0/32", "192.0.2.7/32");
        assertThat(carrier.credentials()).isNotNull();
        assertThat(carrier.credentials().username()).isEqualTo("acme");
        assertThat(carrier.credentials().password().reveal()).isEqualTo("carrier-from-file");
        assertThat(carrier.routes())
                .containsExactly(Map.entry("+15551230000", "support"), Map.entry("default", "beep"));
        assertThat(carrier.assistantFor("+15551230000")).contains("support");
        assertThat(carrier.assistantFor("+15559999999")).contains("beep");
        assertThat(carrier.allows(InetAddress.getByName("198.51.100.77"))).isTrue();
        assertThat(carrier.allows(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(carrier.allows(InetAddress.getByName("192.0.2.8"))).isFalse();
        assertThat(carrier.limits()).isEqualTo(new CallLimits(50, 5));

        PbxUserConfig user = config.pbxUser("1001").orElseThrow();
        assertThat(user.assistant()).isEqualTo("support");
        assertThat(user.password().equalsConstantTime("pbx-pw")).isTrue();

        CredentialVault vault = loaded.vault();
        assertThat(vault.keys())
                .containsExactly(
                        "assistant:support:api_key:0",
                        "assistant:support:api_key:1",
                        "trunk:carrier:password",
                        "pbx:1001:password");
        assertThat(vault.get(CredentialVault.trunkPassword("carrier")).reveal()).isEqualTo("carrier-from-file");
        assertThat(vault.matchesApiKey("support", "key-old")).isTrue();
        assertThat(vault.matchesApiKey("support", "key-other")).isFalse();
        assertThat(vault.matchesApiKey("beep", "key-new")).isFalse();
    }

    @Test
    void everythingButTheAssistantsHasADefault() throws Exception {
        LoadedConfig loaded =
                ConfigLoader.parse("""
                assistants:
                  - id: support
                    kind: echo
                """, Path.of("softswitch.yaml"), SecretResolver.withEnvironment(Map.of()));

        SoftswitchConfig config = loaded.config();
        assertThat(config.listen()).isEqualTo(ListenConfig.DEFAULTS);
        assertThat(config.listen())
                .isEqualTo(new ListenConfig("127.0.0.1", "127.0.0.1", 5060, List.of("udp", "tcp"), 8080));
        assertThat(config.rtp().ports()).isEqualTo(new PortRange(10000, 20000));
        assertThat(config.codecs()).containsExactly("G722", "PCMU", "PCMA");
        assertThat(config.limits()).isEqualTo(CallLimits.UNLIMITED);
        assertThat(config.trunks()).isEmpty();
        assertThat(config.pbxUsers()).isEmpty();
        assertThat(config.api()).isEqualTo(ApiConfig.NONE);
        assertThat(config.api().keys()).isEmpty();
        assertThat(config.assistants()).containsExactly(AssistantConfig.of("support", AssistantKind.ECHO));
        AssistantConfig support = config.assistants().get(0);
        assertThat(support.greeting()).isNull();
        assertThat(support.errorMessage()).isEqualTo("Sorry, something went wrong. Please call again later.");
        assertThat(support.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(support.maxDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(support.apiKeys()).isEmpty();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.vault().keys()).isEmpty();
    }

    @Test
    void aBindAddressIsAlsoAdvertisedAndEmptySectionsTakeDefaults() throws Exception {
        SoftswitchConfig config = ConfigLoader.parse(
                        """
                        listen:
                          bind: 192.0.2.10
                        rtp:
                        trunks:
                        pbx_users: []
                        assistants:
                          - id: support
                            kind: echo
                        """, Path.of("softswitch.yaml"), SecretResolver.withEnvironment(Map.of()))
                .config();
        assertThat(config.listen().advertise()).isEqualTo("192.0.2.10");
        assertThat(config.rtp()).isEqualTo(RtpConfig.DEFAULTS);
        assertThat(config.trunks()).isEmpty();
        assertThat(config.pbxUsers()).isEmpty();
    }

    @Test
    void theExampleFilePassesWithItsEnvironment() throws Exception {
        Path example = Path.of("..", "examples", "softswitch.yaml");

        LoadedConfig loaded = ConfigLoader.load(example, SecretResolver.withEnvironment(EXAMPLE_ENV));

        assertThat(loaded.warnings()).isEmpty();
        SoftswitchConfig config = loaded.config();
        assertThat(config.listen().advertise()).isEqualTo("203.0.113.10");
        assertThat(config.assistants())
                .extracting(AssistantConfig::id)
                .containsExactly("support", "tone-test", "sales");
        assertThat(config.trunks()).extracting(TrunkConfig::name).containsExactly("carrier");
        OutboundTrunk outbound = config.trunks().get(0).outbound();
        assertThat(outbound).isNotNull();
        assertThat(outbound.host()).isEqualTo("sip.carrier.example");
        assertThat(outbound.port()).isEqualTo(5060);
        assertThat(outbound.transport()).isEqualTo("udp");
        assertThat(outbound.fromUser()).isEqualTo("+15551230000");
        assertThat(outbound.credentials()).isNotNull();
        assertThat(outbound.credentials().password().reveal()).isEqualTo("carrier-outbound-pw");
        assertThat(outbound.proxyHost()).isNull();
        assertThat(outbound.register()).isFalse();
        assertThat(outbound.registerExpires()).isEqualTo(Duration.ofHours(1));
        assertThat(config.pbxUsers()).extracting(PbxUserConfig::username).containsExactly("alice");
        assertThat(config.api().keys()).extracting(ApiKey::name).containsExactly("ops");
        assertThat(config.api().match("api-ops-0123456789abcdef"))
                .map(ApiKey::name)
                .contains("ops");
        assertThat(loaded.vault().keys())
                .containsExactly(
                        "assistant:support:api_key:0",
                        "trunk:carrier:password",
                        "trunk:carrier:outbound_password",
                        "pbx:alice:password",
                        "api:ops:key",
                        "provider:twilio:auth_token");
        assertThat(config.providers().publicUrl()).hasToString("https://voice.example.com");
        assertThat(config.providers().providers())
                .extracting(ProviderConfig::name)
                .containsExactly("twilio", "audiosocket");
    }

    @Test
    void theExampleFileWritesNoSecretInline() throws Exception {
        String text = Files.readString(Path.of("..", "examples", "softswitch.yaml"));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(text, Path.of("softswitch.yaml"), SecretResolver.withEnvironment(Map.of())));

        // Without its environment every secret fails, and each fails as a reference: none is inline.
        assertThat(e.errors())
                .extracting(ConfigError::message)
                .containsExactly(
                        "environment variable SUPPORT_API_KEY is not set",
                        "environment variable CARRIER_PASSWORD is not set",
                        "environment variable CARRIER_OUTBOUND_PASSWORD is not set",
                        "environment variable ALICE_PASSWORD is not set",
                        "environment variable SOFTSWITCH_API_KEY is not set",
                        "environment variable TWILIO_AUTH_TOKEN is not set");
        assertThat(e.warnings()).isEmpty();
    }

    @Test
    void errorsNameTheFileAsGiven() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "listen:\n  sip_port: 99999\n");
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of())));
        assertThat(e.errors())
                .extracting(ConfigError::toString)
                .containsExactly(
                        file
                                + ":1:1: assistants: required: at least one assistant (kinds: echo, tone, websocket, openai-realtime)",
                        file + ":2:13: listen.sip_port: 99999 is not a port (1-65535)");
        ConfigError first = e.errors().get(0);
        assertThat(first.file()).isEqualTo(file);
        assertThat(first.line()).isEqualTo(1);
        assertThat(first.column()).isEqualTo(1);
        assertThat(first.field()).isEqualTo("assistants");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void noMessageCarriesASecretValue() throws Exception {
        List<String> secrets =
                List.of("env-secret-value", "file-secret-value", "inline-secret-value", "typo-secret-value");
        Path secretFile = Files.writeString(dir.resolve("s"), "file-secret-value\n");
        String yaml = """
                listen:
                  bind: 0.0.0.0
                assistants:
                  - id: support
                    kind: echo
                    api_keys: inline-secret-value
                  - id: other
                    kind: echo
                    api_keys: ["${env:SECRET}", inline-secret-value, [inline-secret-value], "${env:UNSET}"]
                trunks:
                  - name: carrier
                    networks: [bad]
                    password: ${env:SECRET}
                    routes: {default: nobody}
                  - name: second
                    username: u
                    pasword: typo-secret-value
                    password: [inline-secret-value]
                    routes: {default: support}
                  - name: third
                    password: ${file:%s}
                    routes: {default: support}
                pbx_users:
                  - username: alice
                    password: inline-secret-value
                    assistant: nobody
                """.formatted(secretFile);

        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        yaml,
                        Path.of("softswitch.yaml"),
                        SecretResolver.withEnvironment(Map.of("SECRET", "env-secret-value"))));

        List<String> lines = new ArrayList<>();
        Stream.concat(e.errors().stream(), e.warnings().stream()).forEach(error -> lines.add(error.toString()));
        lines.add(e.getMessage());
        assertThat(e.errors()).hasSizeGreaterThan(8);
        assertThat(e.warnings()).hasSize(2);
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }

    @Test
    void aLoadedConfigPrintsNoSecret() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(
                Path.of("..", "examples", "softswitch.yaml"), SecretResolver.withEnvironment(EXAMPLE_ENV));
        String printed = loaded.toString() + loaded.vault();
        for (String secret : EXAMPLE_ENV.values()) {
            assertThat(printed).doesNotContain(secret);
        }
        assertThat(printed).contains("password=***");
    }
}
