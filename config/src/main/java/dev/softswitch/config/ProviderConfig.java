package dev.softswitch.config;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One provider's entry under {@code providers:}.
 *
 * @param kind which provider
 * @param settings its plain settings by key ({@code account_sid}, {@code caller_id}, ...), as written
 * @param secrets its secrets by key ({@code auth_token}, ...)
 * @param routes called number to assistant id; {@code default} for any other number (AudioSocket: call UUID)
 * @param apiBaseUrl where its REST API is, when not the provider's own (tests point it at a local server)
 */
public record ProviderConfig(
        ProviderKind kind,
        Map<String, String> settings,
        Map<String, Secret> secrets,
        Map<String, String> routes,
        @Nullable URI apiBaseUrl) {

    public ProviderConfig {
        Objects.requireNonNull(kind, "kind");
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        routes = Map.copyOf(routes);
    }

    public String name() {
        return kind.configName();
    }

    /** A plain setting, if the entry has it. */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** A secret, if the entry has it. */
    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /** The assistant that answers {@code number}: its route, else {@code default}'s. */
    public Optional<String> route(String number) {
        String assistant = routes.get(number);
        return Optional.ofNullable(assistant != null ? assistant : routes.get("default"));
    }
}
