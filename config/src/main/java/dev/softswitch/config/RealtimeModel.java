package dev.softswitch.config;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A realtime speech model that answers calls itself ({@code kind: openai-realtime}).
 *
 * @param url the model's WebSocket endpoint; the model name is added as {@code ?model=}
 * @param apiKey the key sent as {@code Authorization: Bearer}
 * @param model the model, such as {@code gpt-realtime}
 * @param voice the voice it speaks with, such as {@code marin}
 * @param instructions what the model is told to be and do, if anything
 */
public record RealtimeModel(
        URI url,
        Secret apiKey,
        String model,
        String voice,
        @Nullable String instructions) {

    public static final URI DEFAULT_URL = URI.create("wss://api.openai.com/v1/realtime");
    public static final String DEFAULT_MODEL = "gpt-realtime";
    public static final String DEFAULT_VOICE = "marin";

    public RealtimeModel {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(voice, "voice");
    }
}
