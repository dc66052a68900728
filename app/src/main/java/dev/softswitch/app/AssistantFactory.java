package dev.softswitch.app;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.EchoAssistant;
import dev.softswitch.assistant.Prompt;
import dev.softswitch.assistant.Prompts;
import dev.softswitch.assistant.ToneAssistant;
import dev.softswitch.bridge.assistant.BotDialect;
import dev.softswitch.bridge.assistant.BotEndpoint;
import dev.softswitch.bridge.assistant.WebSocketAssistant;
import dev.softswitch.bridge.assistant.audio.AudioDialect;
import dev.softswitch.bridge.assistant.openai.RealtimeDialect;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.BotConnection;
import dev.softswitch.config.RealtimeModel;
import dev.softswitch.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Makes the assistant each configuration entry describes. A greeting or error message that names a {@code .wav} file
 * is audio, read now (relative to the configuration file) so that a missing file stops the start, not a call.
 */
final class AssistantFactory {

    /** TLS to a cloud API and its session set-up take longer than a bot on the same network. */
    private static final Duration REALTIME_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final BotClient bots;
    private final Path configDir;

    AssistantFactory(BotClient bots, Path configFile) {
        this.bots = bots;
        Path parent = configFile.toAbsolutePath().getParent();
        this.configDir = parent == null ? Path.of(".") : parent;
    }

    Assistant create(AssistantConfig a) throws StartupException {
        return switch (a.kind()) {
            case ECHO -> new EchoAssistant(a.id());
            case TONE -> new ToneAssistant(a.id(), 440.0, 0.3);
            case WEBSOCKET -> webSocket(a, a.bot());
            case OPENAI_REALTIME -> realtime(a, a.realtime());
        };
    }

    /** The OpenAI Realtime API (GA): the model in the query, the key as a bearer token, no beta header. */
    private Assistant realtime(AssistantConfig a, @Nullable RealtimeModel model) throws StartupException {
        if (model == null) {
            throw new StartupException("assistant " + a.id() + ": no model settings");
        }
        String base = model.url().toString();
        URI url = URI.create(base + (base.contains("?") ? "&" : "?") + "model="
                + URLEncoder.encode(model.model(), StandardCharsets.UTF_8));
        Secret bearer = Secret.of("Bearer " + model.apiKey().reveal());
        String greeting = a.greeting();
        Prompt greetingAudio = isWav(greeting) ? wav(a, "greeting", greeting) : null;
        return new WebSocketAssistant(
                a.id(),
                bots,
                new BotEndpoint(url, Map.of("Authorization", bearer), REALTIME_CONNECT_TIMEOUT),
                callRate -> new RealtimeDialect(callRate, model.model(), model.voice(), model.instructions()),
                greetingAudio == null ? greeting : null,
                greetingAudio,
                errorPrompt(a),
                a.idleTimeout());
    }

    private Prompt errorPrompt(AssistantConfig a) throws StartupException {
        return isWav(a.errorMessage()) ? wav(a, "error_message", a.errorMessage()) : Prompts.specialInformationTone();
    }

    private Assistant webSocket(AssistantConfig a, @Nullable BotConnection bot) throws StartupException {
        if (bot == null) {
            throw new StartupException("assistant " + a.id() + ": no bot connection");
        }
        IntFunction<BotDialect> dialects = bot.dialect().equals("audio")
                ? callRate -> new AudioDialect(bot.sampleRate(), bot.parameters())
                : callRate -> new TwilioDialect(bot.parameters());
        String greeting = a.greeting();
        Prompt greetingAudio = isWav(greeting) ? wav(a, "greeting", greeting) : null;
        Prompt errorAudio = errorPrompt(a);
        return new WebSocketAssistant(
                a.id(),
                bots,
                new BotEndpoint(bot.url(), bot.headers(), bot.connectTimeout(), bot.stallTimeout()),
                dialects,
                greetingAudio == null ? greeting : null,
                greetingAudio,
                errorAudio,
                a.idleTimeout());
    }

    private static boolean isWav(@Nullable String text) {
        return text != null && text.toLowerCase(Locale.ROOT).endsWith(".wav");
    }

    private Prompt wav(AssistantConfig a, String field, String file) throws StartupException {
        try {
            return Prompts.wav(configDir.resolve(file));
        } catch (IOException e) {
            throw new StartupException("assistant " + a.id() + " " + field + ": " + e.getMessage());
        }
    }
}
