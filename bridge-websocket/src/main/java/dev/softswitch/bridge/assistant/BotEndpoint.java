package dev.softswitch.bridge.assistant;

import dev.softswitch.bridge.client.StallWatch;
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
 * @param stallTimeout how long the bot may leave what we send unread (a ping unanswered, audio backed up) before the
 *     call fails; zero: never
 */
public record BotEndpoint(URI url, Map<String, Secret> headers, Duration connectTimeout, Duration stallTimeout) {

    public BotEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        headers = Map.copyOf(headers);
    }

    /** With the default stall timeout ({@link StallWatch#DEFAULT_LIMIT}). */
    public BotEndpoint(URI url, Map<String, Secret> headers, Duration connectTimeout) {
        this(url, headers, connectTimeout, StallWatch.DEFAULT_LIMIT);
    }

    /** The headers with their values, for the upgrade request only. */
    Map<String, String> revealedHeaders() {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> out.put(name, value.reveal()));
        return out;
    }
}
