package dev.softswitch.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cloud telephony providers (and Asterisk AudioSocket) whose calls the softswitch takes, each with the keys its
 * entry under {@code providers:} may have: plain settings, and secrets (resolved like every secret of the file).
 */
public enum ProviderKind {
    TWILIO(List.of("account_sid"), List.of("caller_id"), List.of("auth_token"), List.of()),
    TELNYX(List.of("public_key"), List.of("connection_id", "caller_id"), List.of("api_key"), List.of()),
    PLIVO(List.of("auth_id"), List.of("caller_id"), List.of("auth_token"), List.of()),
    VONAGE(
            List.of("application_id"),
            List.of("caller_id", "sample_rate"),
            List.of("signature_secret"),
            List.of("private_key")),
    EXOTEL(List.of("account_sid", "api_key"), List.of("caller_id"), List.of("api_token"), List.of()),
    AUDIOSOCKET(List.of("port"), List.of(), List.of(), List.of());

    private final List<String> requiredSettings;
    private final List<String> optionalSettings;
    private final List<String> requiredSecrets;
    private final List<String> optionalSecrets;

    ProviderKind(
            List<String> requiredSettings,
            List<String> optionalSettings,
            List<String> requiredSecrets,
            List<String> optionalSecrets) {
        this.requiredSettings = requiredSettings;
        this.optionalSettings = optionalSettings;
        this.requiredSecrets = requiredSecrets;
        this.optionalSecrets = optionalSecrets;
    }

    /** The name under {@code providers:}, such as {@code twilio}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the provider calls webhooks (so {@code providers.public_url} is needed); AudioSocket is plain TCP. */
    public boolean usesWebhooks() {
        return this != AUDIOSOCKET;
    }

    List<String> requiredSettings() {
        return requiredSettings;
    }

    List<String> optionalSettings() {
        return optionalSettings;
    }

    List<String> requiredSecrets() {
        return requiredSecrets;
    }

    List<String> optionalSecrets() {
        return optionalSecrets;
    }

    /** Every key the provider's entry may have, in the order messages list them. */
    List<String> keys() {
        List<String> keys = new java.util.ArrayList<>();
        keys.addAll(requiredSettings);
        keys.addAll(requiredSecrets);
        keys.addAll(optionalSettings);
        keys.addAll(optionalSecrets);
        keys.add("routes");
        if (usesWebhooks()) {
            keys.add("api_base_url");
        }
        return List.copyOf(keys);
    }

    public static Optional<ProviderKind> fromConfigName(String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.configName().equals(name))
                .findFirst();
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(ProviderKind::configName).toList();
    }
}
