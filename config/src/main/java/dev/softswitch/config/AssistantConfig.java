package dev.softswitch.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One assistant deployment ({@code assistants[]}): what answers a call routed to {@code id}.
 *
 * @param id the name routes, PBX users and {@code sip:id:key@host} URIs use
 * @param kind what the assistant is
 * @param greeting what it says first, if anything
 * @param errorMessage what the caller hears when the assistant fails
 * @param idleTimeout how long a call may go without the assistant speaking or hearing speech before it ends
 * @param maxDuration the longest a call to this assistant may last
 * @param apiKeys the keys that let a caller name this assistant directly; any one of them is enough
 * @param bot where the bot is, for {@code kind: websocket}
 * @param realtime which model and how, for {@code kind: openai-realtime}
 * @param record whether each call is recorded to a stereo WAV (caller left, assistant right)
 */
public record AssistantConfig(
        String id,
        AssistantKind kind,
        @Nullable String greeting,
        String errorMessage,
        Duration idleTimeout,
        Duration maxDuration,
        List<Secret> apiKeys,
        @Nullable BotConnection bot,
        @Nullable RealtimeModel realtime,
        boolean record) {

    public static final String DEFAULT_ERROR_MESSAGE = "Sorry, something went wrong. Please call again later.";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(5);

    public AssistantConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxDuration, "maxDuration");
        apiKeys = List.copyOf(apiKeys);
        if (kind == AssistantKind.WEBSOCKET && bot == null) {
            throw new IllegalArgumentException("a websocket assistant needs its bot's connection");
        }
        if (kind == AssistantKind.OPENAI_REALTIME && realtime == null) {
            throw new IllegalArgumentException("an openai-realtime assistant needs its model settings");
        }
    }

    /** An assistant with the defaults and no API keys. */
    public static AssistantConfig of(String id, AssistantKind kind) {
        return new AssistantConfig(
                id,
                kind,
                null,
                DEFAULT_ERROR_MESSAGE,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_DURATION,
                List.of(),
                null,
                null,
                false);
    }
}
