package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class CredentialVaultTest {

    final CredentialVault vault = CredentialVault.of(Map.of(
            CredentialVault.assistantApiKey("support", 0), Secret.of("key-a"),
            CredentialVault.assistantApiKey("support", 1), Secret.of("key-b"),
            CredentialVault.trunkPassword("carrier"), Secret.of("trunk-pw"),
            CredentialVault.pbxPassword("alice"), Secret.of("alice-pw")));

    @Test
    void keysFollowOneScheme() {
        assertThat(CredentialVault.trunkPassword("carrier")).isEqualTo("trunk:carrier:password");
        assertThat(CredentialVault.assistantApiKey("support", 0)).isEqualTo("assistant:support:api_key:0");
        assertThat(CredentialVault.pbxPassword("alice")).isEqualTo("pbx:alice:password");
    }

    @Test
    void findsAndRequiresSecrets() {
        assertThat(vault.find("pbx:alice:password")).map(Secret::reveal).contains("alice-pw");
        assertThat(vault.find("pbx:bob:password")).isEmpty();
        assertThatThrownBy(() -> vault.get("pbx:bob:password"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no credential pbx:bob:password in the vault");
    }

    @Test
    void matchesAnyApiKeyOfTheAssistant() {
        assertThat(vault.matchesApiKey("support", "key-a")).isTrue();
        assertThat(vault.matchesApiKey("support", "key-b")).isTrue();
        assertThat(vault.matchesApiKey("support", "key-c")).isFalse();
        assertThat(vault.matchesApiKey("sales", "key-a")).isFalse();
    }

    @Test
    void printsKeysNeverValues() {
        assertThat(vault.toString()).contains("trunk:carrier:password").doesNotContain("trunk-pw", "alice-pw", "key-a");
    }
}
