package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code providers:}: the public URL, each provider's credentials and routes, and every mistake named. */
class ProvidersConfigTest {

    private static final SecretResolver ENV = SecretResolver.withEnvironment(Map.of(
            "TWILIO_AUTH_TOKEN", "twilio-token-123",
            "PLIVO_AUTH_TOKEN", "plivo-token",
            "VONAGE_SECRET", "vonage-signature-secret"));

    private static LoadedConfig load(String providers) throws ConfigException {
        return ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + providers, Path.of("softswitch.yaml"), ENV);
    }

    private static List<String> errors(String providers) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + providers, Path.of("softswitch.yaml"), ENV));
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void readsTheProvidersTheirSecretsAndRoutes() throws Exception {
        LoadedConfig loaded = load("""
                providers:
                  public_url: https://voice.example.com/
                  twilio:
                    account_sid: AC0123456789abcdef0123456789abcdef
                    auth_token: ${env:TWILIO_AUTH_TOKEN}
                    caller_id: "+15550001111"
                    routes: {"+15551230000": support, default: support}
                    api_base_url: http://127.0.0.1:9999
                  audiosocket:
                    port: 9092
                    routes: {default: support}
                """);
        ProvidersConfig providers = loaded.config().providers();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(providers.publicUrl()).isEqualTo(URI.create("https://voice.example.com"));
        ProviderConfig twilio = providers.provider("twilio").orElseThrow();
        assertThat(twilio.setting("account_sid")).contains("AC0123456789abcdef0123456789abcdef");
        assertThat(twilio.secret("auth_token").orElseThrow().reveal()).isEqualTo("twilio-token-123");
        assertThat(twilio.route("+15551230000")).contains("support");
        assertThat(twilio.route("+15559999999")).contains("support");
        assertThat(twilio.apiBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(twilio.toString()).doesNotContain("twilio-token-123");
        assertThat(providers.provider(ProviderKind.AUDIOSOCKET).orElseThrow().setting("port"))
                .contains("9092");
        assertThat(providers.provider("plivo")).isEmpty();
        assertThat(loaded.vault()
                        .get(CredentialVault.providerSecret("twilio", "auth_token"))
                        .reveal())
                .isEqualTo("twilio-token-123");
    }

    @Test
    void aStallTimeoutEndsCallsWhoseStreamStopsReading() throws Exception {
        assertThat(load("").config().providers().stallTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(load("providers:\n  stall_timeout: 3s\n")
                        .config()
                        .providers()
                        .stallTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(errors("providers:\n  stall_timeout: 0s\n"))
                .anySatisfy(e -> assertThat(e).endsWith("providers.stall_timeout: 0s is too short: give more than 0"));
    }

    @Test
    void noSectionNoProviders() throws Exception {
        assertThat(load("").config().providers()).isEqualTo(ProvidersConfig.NONE);
        assertThat(load("providers:\n").config().providers().providers()).isEmpty();
    }

    @Test
    void aWebhookProviderNeedsThePublicUrlAndItsCredentials() {
        assertThat(errors("""
                providers:
                  plivo:
                    routes: {default: support}
                """))
                .containsExactly(
                        "softswitch.yaml:5:3: providers.public_url: required: the https:// base URL the providers reach"
                                + " this softswitch at; webhook URLs are derived from it",
                        "softswitch.yaml:6:5: providers.plivo.auth_id: required: the Plivo auth ID (MA... or SA...)",
                        "softswitch.yaml:6:5: providers.plivo.auth_token: required: the auth token that signs webhooks"
                                + " and authenticates REST calls");
    }

    @Test
    void namesWrongValues() {
        List<String> errors = errors("""
                providers:
                  public_url: ftp://voice.example.com
                  telnyx:
                    public_key: AAAA
                    api_key: ${env:PLIVO_AUTH_TOKEN}
                    routes: {default: supprt}
                  vonage:
                    application_id: aaaaaaaa-bbbb-cccc-dddd-0123456789ab
                    signature_secret: ${env:VONAGE_SECRET}
                    sample_rate: 24000
                  twillio: {}
                  audiosocket:
                    port: 70000
                """);
        assertThat(errors)
                .containsExactly(
                        "softswitch.yaml:5:15: providers.public_url: expected an https:// URL with a host, got"
                                + " \"ftp://voice.example.com\"",
                        "softswitch.yaml:7:17: providers.telnyx.public_key: an Ed25519 public key is 32 bytes in"
                                + " base64 (44 characters)",
                        "softswitch.yaml:9:23: providers.telnyx.routes.default: unknown assistant \"supprt\" (did you"
                                + " mean \"support\"?)",
                        "softswitch.yaml:13:18: providers.vonage.sample_rate: 8000 or 16000",
                        "softswitch.yaml:14:3: providers.twillio: unknown key \"twillio\" (did you mean \"twilio\"?)",
                        "softswitch.yaml:16:11: providers.audiosocket.port: 70000 is not a port (1-65535)");
    }

    @Test
    void plainHttpIsForTestsAndSaysSo() throws Exception {
        LoadedConfig loaded = load("""
                providers:
                  public_url: http://127.0.0.1:8080
                  plivo: {auth_id: MA123, auth_token: "${env:PLIVO_AUTH_TOKEN}"}
                """);
        assertThat(loaded.warnings())
                .extracting(ConfigError::toString)
                .containsExactly("softswitch.yaml:5:15: providers.public_url: http:// and ws:// are for tests:"
                        + " providers call https:// webhooks and open wss:// streams");
        assertThat(loaded.config().providers().publicUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    }
}
