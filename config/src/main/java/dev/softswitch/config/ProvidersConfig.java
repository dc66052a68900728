package dev.softswitch.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code providers:} section: the cloud providers whose calls come in over webhooks and media WebSockets, and
 * Asterisk AudioSocket.
 *
 * @param publicUrl the base URL the providers reach the softswitch at ({@code https://voice.example.com}, perhaps with a
 *     path prefix a proxy strips); webhook and WebSocket URLs are derived from it, and signatures are checked against
 *     them. Null when no provider needs it.
 * @param providers one entry per configured provider, kinds unique, in file order
 * @param stallTimeout how long a provider's media connection may leave what we send unread (our audio backed up)
 *     before its call ends
 */
public record ProvidersConfig(@Nullable URI publicUrl, List<ProviderConfig> providers, Duration stallTimeout) {

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    /** No {@code providers:} section. */
    public static final ProvidersConfig NONE = new ProvidersConfig(null, List.of());

    public ProvidersConfig {
        providers = List.copyOf(providers);
        java.util.Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    /** With the default stall timeout. */
    public ProvidersConfig(@Nullable URI publicUrl, List<ProviderConfig> providers) {
        this(publicUrl, providers, DEFAULT_STALL_TIMEOUT);
    }

    public Optional<ProviderConfig> provider(ProviderKind kind) {
        return providers.stream().filter(p -> p.kind() == kind).findFirst();
    }

    public Optional<ProviderConfig> provider(String name) {
        return ProviderKind.fromConfigName(name).flatMap(this::provider);
    }
}
