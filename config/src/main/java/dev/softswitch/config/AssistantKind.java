package dev.softswitch.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of assistant a configuration may name ({@code kind:}); more come with their integrations. */
public enum AssistantKind {
    /** Plays the caller's audio back. */
    ECHO,
    /** Plays a tone. */
    TONE,
    /** A bot behind a WebSocket, speaking Twilio Media Streams or the plain audio dialect. */
    WEBSOCKET,
    /** The OpenAI Realtime API, speaking with the caller itself. */
    OPENAI_REALTIME;

    /** The name in the configuration file, such as {@code echo} or {@code openai-realtime}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind a configuration names, in any case. */
    public static Optional<AssistantKind> fromConfigName(String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.configName().equalsIgnoreCase(name))
                .findFirst();
    }

    /** Every configuration name, for messages. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(AssistantKind::configName).toList();
    }
}
