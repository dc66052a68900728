package dev.softswitch.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a bot behind a WebSocket ({@code kind: websocket}).
 *
 * @param url where the bot listens, {@code ws://} or {@code wss://}
 * @param dialect what the bot speaks: {@code twilio} (Twilio Media Streams) or {@code audio} (the plain protocol)
 * @param sampleRate the rate of the PCM the {@code audio} dialect carries (8000, 16000 or 24000); Twilio is always 8000
 * @param parameters passed to the bot with the start of each call (Twilio's {@code customParameters})
 * @param headers extra HTTP headers on the WebSocket upgrade, such as {@code Authorization}; values are secrets
 * @param connectTimeout how long the bot may take to accept the connection before the call gets the error message
 * @param stallTimeout how long the bot may leave what it is sent unread (a WebSocket ping without its pong, audio
 *     backed up) before the call gets the error message
 */
public record BotConnection(
        URI url,
        String dialect,
        int sampleRate,
        Map<String, String> parameters,
        Map<String, Secret> headers,
        Duration connectTimeout,
        Duration stallTimeout) {

    public static final java.util.List<String> DIALECTS = java.util.List.of("twilio", "audio");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_SAMPLE_RATE = 16000;

    public BotConnection {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        parameters = Map.copyOf(parameters);
        headers = Map.copyOf(headers);
    }

    /** With the default stall timeout. */
    public BotConnection(
            URI url,
            String dialect,
            int sampleRate,
            Map<String, String> parameters,
            Map<String, Secret> headers,
            Duration connectTimeout) {
        this(url, dialect, sampleRate, parameters, headers, connectTimeout, DEFAULT_STALL_TIMEOUT);
    }
}
