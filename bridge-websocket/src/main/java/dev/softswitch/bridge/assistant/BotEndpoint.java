package dev.softswitch.bridge.assistant;

import dev.softswitch.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a bot is and how to open its socket.
 *
 * @param url {@code ws://} or {@code wss://}
 * @param headers sent with the upgrade request; values are secrets (tokens) and never logged
 * @param connectTimeout TCP, TLS and the upgrade together
 */
public record BotEndpoint(URI url, Map<String, Secret> headers, Duration connectTimeout) {

    public BotEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        headers = Map.copyOf(headers);
    }

    /** The headers with their values, for the upgrade request only. */
    Map<String, String> revealedHeaders() {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> out.put(name, value.reveal()));
        return out;
    }
}
