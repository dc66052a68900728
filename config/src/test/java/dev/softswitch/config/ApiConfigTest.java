package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code api:}: the HTTP API's bearer keys, matched in constant time, and every mistake named. */
class ApiConfigTest {

    private static final String OPS_KEY = "ops-key-0123456789abcdef";
    private static final String CI_KEY = "ci-key-fedcba9876543210";

    private static final SecretResolver ENV = SecretResolver.withEnvironment(
            Map.of("OPS_KEY", OPS_KEY, "CI_KEY", CI_KEY, "SHORT_KEY", "short-key-value", "SUPPORT_API_KEY", CI_KEY));

    private static LoadedConfig load(String api) throws ConfigException {
        return ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + api, Path.of("softswitch.yaml"), ENV);
    }

    private static ConfigException invalid(String api) {
        return catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + api, Path.of("softswitch.yaml"), ENV));
    }

    private static List<String> errors(String api) {
        ConfigException e = invalid(api);
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void readsTheKeysInFileOrder() throws Exception {
        LoadedConfig loaded = load("""
                api:
                  keys:
                    - name: ops
                      key: ${env:OPS_KEY}
                    - {name: ci, key: "${env:CI_KEY}"}
                """);
        ApiConfig api = loaded.config().api();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(api.keys()).extracting(ApiKey::name).containsExactly("ops", "ci");
        assertThat(api.keys().get(0).key().reveal()).isEqualTo(OPS_KEY);
        assertThat(api.keys().get(1).key().origin()).isEqualTo("${env:CI_KEY}");
        assertThat(loaded.vault().keys()).containsExactly("api:ops:key", "api:ci:key");
        assertThat(loaded.vault().get(CredentialVault.apiKey("ci")).reveal()).isEqualTo(CI_KEY);
        assertThat(api.toString()).isEqualTo("ApiConfig[keys=[ApiKey[name=ops, key=***], ApiKey[name=ci, key=***]]]");
    }

    @Test
    void noSectionNoKeys() throws Exception {
        assertThat(load("").config().api()).isEqualTo(ApiConfig.NONE);
        assertThat(load("api:\n").config().api()).isEqualTo(ApiConfig.NONE);
        assertThat(load("api: {keys: []}\n").config().api()).isEqualTo(ApiConfig.NONE);
        assertThat(ApiConfig.NONE.match(OPS_KEY)).isEmpty();
        assertThat(ApiConfig.NONE.match("")).isEmpty();
    }

    @Test
    void matchesExactlyOneOfTheKeys() {
        ApiConfig api =
                new ApiConfig(List.of(new ApiKey("ops", Secret.of(OPS_KEY)), new ApiKey("ci", Secret.of(CI_KEY))));

        assertThat(api.match(OPS_KEY)).map(ApiKey::name).contains("ops");
        assertThat(api.match(CI_KEY)).map(ApiKey::name).contains("ci");
        assertThat(api.match(OPS_KEY.substring(0, OPS_KEY.length() - 1))).isEmpty();
        assertThat(api.match(OPS_KEY + "0")).isEmpty();
        assertThat(api.match(OPS_KEY.toUpperCase(java.util.Locale.ROOT))).isEmpty();
        assertThat(api.match(" " + OPS_KEY)).isEmpty();
        assertThat(api.match("")).isEmpty();
    }

    @Test
    void comparesUtf8Bytes() {
        String key = "cl\u00e9-0123456789abcdef-\u2603";
        ApiConfig api = new ApiConfig(List.of(new ApiKey("unicode", Secret.of(key))));

        assertThat(api.match(key)).isPresent();
        assertThat(api.match("cle\u0301-0123456789abcdef-\u2603")).isEmpty();
    }

    @Test
    void aKeyShorterThan16CharactersIsRefusedWithoutShowingIt() {
        assertThat(new ApiKey("ops", Secret.of("0123456789abcdef")).key().reveal())
                .hasSize(16);
        assertThatThrownBy(() -> new ApiKey("ops", Secret.of("0123456789abcde")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API key ops is shorter than 16 characters");
    }

    @Test
    void everyMistakeIsNamedWithItsLine() {
        assertThat(errors("""
                        api:
                          keys:
                            - key: ${env:OPS_KEY}
                            - name: "front desk"
                              key: ${env:CI_KEY}
                            - name: ops
                            - name: short
                              key: ${env:SHORT_KEY}
                            - name: again
                              key: ${env:OPS_KEY}
                            - name: ops
                              key: ${env:SUPPORT_API_KEY}
                              token: x
                            - ops
                        """))
                .containsExactly(
                        "softswitch.yaml:6:7: api.keys[0].name: required: the key's name, which identifies it without"
                                + " showing it",
                        "softswitch.yaml:7:13: api.keys[1].name: \"front desk\" is not a valid name (letters, digits,"
                                + " '.', '_' and '-', starting with a letter or digit)",
                        "softswitch.yaml:9:7: api.keys[2].key: required: the bearer token, as ${env:NAME} or"
                                + " ${file:/path}",
                        "softswitch.yaml:11:12: api.keys[3].key: too short: an API key needs at least 16 characters",
                        "softswitch.yaml:13:12: api.keys[4].key: the same key as api.keys[0].key: give each client its"
                                + " own",
                        "softswitch.yaml:14:13: api.keys[5].name: duplicate API key name \"ops\" (first at line 9)",
                        "softswitch.yaml:15:12: api.keys[5].key: the same key as api.keys[1].key (\"front desk\"): give"
                                + " each client its own",
                        "softswitch.yaml:16:7: api.keys[5].token: unknown key \"token\" (known keys: name, key)",
                        "softswitch.yaml:17:7: api.keys[6]: expected a mapping (name, key), got \"ops\"");
    }

    @Test
    void theSectionHasOnlyKeys() {
        assertThat(errors("api:\n  key: ${env:OPS_KEY}\n"))
                .containsExactly("softswitch.yaml:5:3: api.key: unknown key \"key\" (did you mean \"keys\"?)");
        assertThat(errors("api:\n  keys: ${env:OPS_KEY}\n"))
                .containsExactly("softswitch.yaml:5:9: api.keys: expected a list, got \"${env:OPS_KEY}\"");
        assertThat(errors("api: [ops]\n"))
                .containsExactly("softswitch.yaml:4:6: api: expected a mapping (keys), got a list");
    }

    @Test
    void noMessageCarriesAKey() {
        ConfigException e = invalid("""
                api:
                  keys:
                    - {name: a, key: "${env:SHORT_KEY}"}
                    - {name: b, key: "${env:OPS_KEY}"}
                    - {name: c, key: "${env:OPS_KEY}"}
                    - {name: d, key: inline-short}
                """);
        assertThat(e.errors()).hasSize(3);
        assertThat(e.getMessage() + e.warnings()).doesNotContain("short-key-value", OPS_KEY, "inline-short");
    }
}
