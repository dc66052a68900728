package dev.softswitch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved secrets of a configuration, by key: {@code trunk:NAME:password}, {@code trunk:NAME:outbound_password},
 * {@code assistant:ID:api_key:N}, {@code pbx:USERNAME:password}, {@code api:NAME:key}, {@code provider:NAME:KEY},
 * {@code listen:tls:keystore_password}. The keys are safe to log; the
 * values are {@link Secret}s.
 */
public final class CredentialVault {

    private final Map<String, Secret> secrets;

    private CredentialVault(Map<String, Secret> secrets) {
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    public static CredentialVault of(Map<String, Secret> secrets) {
        return new CredentialVault(secrets);
    }

    /** The key of SIP over TLS's keystore password. */
    public static final String TLS_KEYSTORE_PASSWORD = "listen:tls:keystore_password";

    /** Every secret the configuration holds, under the keys this class names. */
    public static CredentialVault from(SoftswitchConfig config) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (AssistantConfig assistant : config.assistants()) {
            for (int i = 0; i < assistant.apiKeys().size(); i++) {
                secrets.put(
                        assistantApiKey(assistant.id(), i), assistant.apiKeys().get(i));
            }
        }
        for (TrunkConfig trunk : config.trunks()) {
            DigestCredentials credentials = trunk.credentials();
            if (credentials != null) {
                secrets.put(trunkPassword(trunk.name()), credentials.password());
            }
            OutboundTrunk outbound = trunk.outbound();
            if (outbound != null && outbound.credentials() != null) {
                secrets.put(
                        trunkOutboundPassword(trunk.name()),
                        outbound.credentials().password());
            }
        }
        for (PbxUserConfig user : config.pbxUsers()) {
            secrets.put(pbxPassword(user.username()), user.password());
        }
        for (ApiKey key : config.api().keys()) {
            secrets.put(apiKey(key.name()), key.key());
        }
        for (ProviderConfig provider : config.providers().providers()) {
            provider.secrets().forEach((key, secret) -> secrets.put(providerSecret(provider.name(), key), secret));
        }
        TlsConfig tls = config.listen().tls();
        if (tls != null && tls.keystorePassword() != null) {
            secrets.put(TLS_KEYSTORE_PASSWORD, tls.keystorePassword());
        }
        return new CredentialVault(secrets);
    }

    /** {@code trunk:NAME:password}. */
    public static String trunkPassword(String trunk) {
        return "trunk:" + trunk + ":password";
    }

    /** {@code trunk:NAME:outbound_password}: what we answer the carrier's challenges with. */
    public static String trunkOutboundPassword(String trunk) {
        return "trunk:" + trunk + ":outbound_password";
    }

    /** {@code assistant:ID:api_key:N}, N counting from 0 in file order. */
    public static String assistantApiKey(String assistant, int index) {
        return "assistant:" + assistant + ":api_key:" + index;
    }

    /** {@code pbx:USERNAME:password}. */
    public static String pbxPassword(String username) {
        return "pbx:" + username + ":password";
    }

    /** {@code api:NAME:key}: a bearer key of the HTTP API. */
    public static String apiKey(String name) {
        return "api:" + name + ":key";
    }

    /** {@code provider:NAME:KEY}: a provider's token or key, such as {@code provider:twilio:auth_token}. */
    public static String providerSecret(String provider, String key) {
        return "provider:" + provider + ":" + key;
    }

    public Optional<Secret> find(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * The secret under {@code key}.
     *
     * @throws NoSuchElementException naming the key
     */
    public Secret get(String key) {
        Secret secret = secrets.get(key);
        if (secret == null) {
            throw new NoSuchElementException("no credential " + key + " in the vault");
        }
        return secret;
    }

    /**
     * Whether {@code candidate} is one of the assistant's API keys. Every key is compared, in constant time, so the
     * time taken does not tell which key came close.
     */
    public boolean matchesApiKey(String assistant, String candidate) {
        boolean match = false;
        for (int i = 0; ; i++) {
            Secret key = secrets.get(assistantApiKey(assistant, i));
            if (key == null) {
                return match;
            }
            match |= key.equalsConstantTime(candidate);
        }
    }

    /** The keys, in configuration order. */
    public Set<String> keys() {
        return secrets.keySet();
    }

    /** The keys only. */
    @Override
    public String toString() {
        return "CredentialVault" + secrets.keySet();
    }
}
