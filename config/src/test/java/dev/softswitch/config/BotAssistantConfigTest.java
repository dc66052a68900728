package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Assistants of kind websocket and openai-realtime: their settings, defaults and every mistake named. */
class BotAssistantConfigTest {

    private static final SecretResolver ENV =
            SecretResolver.withEnvironment(Map.of("BOT_TOKEN", "t0ken", "OPENAI_API_KEY", "sk-abc"));

    private static SoftswitchConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, Path.of("softswitch.yaml"), ENV).config();
    }

    @Test
    void aTwilioBotWithEverySetting() throws Exception {
        AssistantConfig a = parse("""
                        assistants:
                          - id: sales
                            kind: websocket
                            url: wss://bot.example.com/twilio
                            parameters: {tenant: acme, campaign: "7"}
                            token: ${env:BOT_TOKEN}
                            connect_timeout: 3s
                            stall_timeout: 4s
                            greeting: Hello!
                            record: true
                        """).assistant("sales").orElseThrow();
        assertThat(a.kind()).isEqualTo(AssistantKind.WEBSOCKET);
        assertThat(a.record()).isTrue();
        BotConnection bot = a.bot();
        assertThat(bot).isNotNull();
        assertThat(bot.url()).isEqualTo(URI.create("wss://bot.example.com/twilio"));
        assertThat(bot.dialect()).isEqualTo("twilio");
        assertThat(bot.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "campaign", "7"));
        assertThat(bot.headers().get("Authorization").reveal()).isEqualTo("Bearer t0ken");
        assertThat(bot.headers().toString()).doesNotContain("t0ken");
        assertThat(bot.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(bot.stallTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void anAudioBotHasItsRateAndTheDefaults() throws Exception {
        BotConnection bot = parse("""
                        assistants:
                          - id: plain
                            kind: websocket
                            url: ws://127.0.0.1:9000/bot
                            dialect: audio
                            sample_rate: 24000
                        """).assistant("plain").orElseThrow().bot();
        assertThat(bot.sampleRate()).isEqualTo(24000);
        assertThat(bot.connectTimeout()).isEqualTo(BotConnection.DEFAULT_CONNECT_TIMEOUT);
        assertThat(bot.stallTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(bot.headers()).isEmpty();
    }

    @Test
    void realtimeDefaultsAndKey() throws Exception {
        AssistantConfig a = parse("""
                        assistants:
                          - id: rt
                            kind: openai-realtime
                            api_key: ${env:OPENAI_API_KEY}
                            instructions: Be brief.
                        """).assistant("rt").orElseThrow();
        RealtimeModel model = a.realtime();
        assertThat(model.url()).isEqualTo(RealtimeModel.DEFAULT_URL);
        assertThat(model.model()).isEqualTo("gpt-realtime");
        assertThat(model.voice()).isEqualTo("marin");
        assertThat(model.instructions()).isEqualTo("Be brief.");
        assertThat(model.apiKey().reveal()).isEqualTo("sk-abc");
        assertThat(a.record()).isFalse();
    }

    @Test
    void everyMistakeIsNamedWithItsLine() {
        assertThat(ConfigErrorsTest.errors("""
                        assistants:
                          - id: a
                            kind: websocket
                          - id: b
                            kind: websocket
                            url: http://bot.example.com
                            dialect: grpc
                          - id: c
                            kind: websocket
                            url: ws://bot
                            sample_rate: 44100
                            dialect: audio
                            record: maybe
                          - id: d
                            kind: websocket
                            url: ws://bot
                            sample_rate: 16000
                          - id: e
                            kind: echo
                            url: ws://bot
                            api_key: x
                          - id: f
                            kind: openai-realtime
                            dialect: audio
                          - id: g
                            kind: websocket
                            url: ws://bot
                            token: ${env:SUPPORT_API_KEY}
                            headers: {Authorization: "${env:SUPPORT_API_KEY}", "bad header": x}
                        """))
                .containsExactly(
                        "softswitch.yaml:2:5: assistants[0].url: required: where the bot listens (ws:// or wss://)",
                        "softswitch.yaml:6:10: assistants[1].url: expected a ws:// or wss:// URL with a host, got"
                                + " \"http://bot.example.com\"",
                        "softswitch.yaml:7:14: assistants[1].dialect: unknown dialect \"grpc\" (known: twilio, audio)",
                        "softswitch.yaml:11:18: assistants[2].sample_rate: must be 8000, 16000 or 24000, not 44100",
                        "softswitch.yaml:13:13: assistants[2].record: expected true or false, got \"maybe\"",
                        "softswitch.yaml:17:18: assistants[3].sample_rate: the twilio dialect is always 8000 Hz mu-law;"
                                + " sample_rate is for dialect audio",
                        "softswitch.yaml:20:10: assistants[4].url: applies to kinds websocket and openai-realtime only",
                        "softswitch.yaml:21:14: assistants[4].api_key: applies to kind openai-realtime only, not echo",
                        "softswitch.yaml:22:5: assistants[5].api_key: required: the OpenAI API key, as"
                                + " ${env:OPENAI_API_KEY} or ${file:/path}",
                        "softswitch.yaml:24:14: assistants[5].dialect: applies to kind websocket only, not openai-realtime",
                        "softswitch.yaml:28:12: assistants[6].token: give either token or an Authorization header, not"
                                + " both",
                        "softswitch.yaml:29:70: assistants[6].headers[\"bad header\"]: \"bad header\" is not a valid"
                                + " HTTP header name");
    }
}
