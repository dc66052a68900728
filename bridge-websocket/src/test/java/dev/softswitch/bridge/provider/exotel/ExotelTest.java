package dev.softswitch.bridge.provider.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.StreamEvent;
import dev.softswitch.bridge.provider.Webhook;
import dev.softswitch.config.ProviderConfig;
import dev.softswitch.config.ProviderKind;
import dev.softswitch.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exotel: the dynamic URL answer behind HTTP Basic, the stream's messages (golden, chunked), the connect request. */
class ExotelTest {

    private static final String BASE = "https://voice.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString("KEY1:TOKEN1".getBytes(StandardCharsets.UTF_8));

    private final Clock clock = Clock.systemUTC();
    private final CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
    private final ProviderCalls calls = new ProviderCalls(clock, r -> {});
    private final ExotelPlugin plugin = new ExotelPlugin(
            new ProviderConfig(
                    ProviderKind.EXOTEL,
                    Map.of("account_sid", "acme1", "api_key", "KEY1", "caller_id", "08047491899"),
                    Map.of("api_token", Secret.of("TOKEN1")),
                    Map.of("default", "echo"),
                    null),
            new ProviderUrls(URI.create(BASE)),
            tokens);

    static String resource(String name) throws IOException {
        try (InputStream in = ExotelTest.class.getResourceAsStream("/provider/exotel/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Webhook get(String query, Map<String, String> headers) {
        return new Webhook("GET", URI.create(BASE + "/providers/exotel/incoming?" + query), headers, new byte[0]);
    }

    @Test
    void answersTheDynamicUrlBehindBasicAuth() throws Exception {
        String query = "CallSid=CAxxxx&From=%2B919876543210&To=%2B918047491899";
        RefusedException anonymous =
                catchThrowableOfType(RefusedException.class, () -> plugin.incoming(get(query, Map.of()), calls));
        assertThat(anonymous.refusal().httpStatus()).isEqualTo(403);
        RefusedException wrong = catchThrowableOfType(
                RefusedException.class,
                () -> plugin.incoming(
                        get(
                                query,
                                Map.of(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString("KEY1:x".getBytes(StandardCharsets.UTF_8)))),
                        calls));
        assertThat(wrong.refusal().httpStatus()).isEqualTo(403);

        JsonNode answer = JSON.readTree(plugin.incoming(get(query, Map.of("Authorization", BASIC)), calls)
                .body());

        String url = answer.path("url").asText();
        assertThat(url)
                .matches("wss://voice\\.example\\.com/providers/exotel/media\\?sample-rate=8000&token=[0-9a-f]{32}");
        assertThat(tokens.claim(url.substring(url.indexOf("token=") + 6))
                        .orElseThrow()
                        .from())
                .isEqualTo("+919876543210");
        assertThat(plugin.streamUrl("t0"))
                .isEqualTo("wss://voice.example.com/providers/exotel/media?sample-rate=8000&token=t0");
    }

    @Test
    void decodesTheReferenceMessagesAndSendsWholeChunks() throws Exception {
        ExotelStreamCodec codec = new ExotelStreamCodec();
        assertThat(codec.onText("{ \"event\": \"connected\" }")).isEmpty();
        StreamEvent.Started started = (StreamEvent.Started) codec.onText("""
                { "event": "start", "sequence_number": "1", "stream_sid": "MZxxxx",
                  "start": { "stream_sid": "MZxxxx", "call_sid": "CAxxxx", "account_sid": "ACxxxx",
                             "from": "+919876543210", "to": "+918047491899",
                             "custom_parameters": { "token": "t1" },
                             "media_format": { "encoding": "audio/x-raw", "sample_rate": "8000", "bit_rate": "16" } } }""").get(0);
        assertThat(started.token()).isEqualTo("t1");
        assertThat(started.providerCallId()).isEqualTo("CAxxxx");
        assertThat(((StreamEvent.Audio) codec.onText(
                                        "{ \"event\": \"media\", \"sequence_number\": \"3\", \"stream_sid\": \"MZxxxx\","
                                                + " \"media\": { \"chunk\": \"2\", \"timestamp\": \"200\", \"payload\": \"AQD//w==\" } }")
                                .get(0))
                        .samples())
                .containsExactly(1, -1);
        assertThat(
                        codec.onText(
                                "{ \"event\": \"dtmf\", \"sequence_number\": \"7\", \"stream_sid\": \"MZxxxx\", \"dtmf\": { \"digit\": \"5\", \"duration\": \"100\" } }"))
                .containsExactly(new StreamEvent.Dtmf('5', 100));
        assertThat(
                        codec.onText(
                                "{ \"event\": \"stop\", \"sequence_number\": \"99\", \"stream_sid\": \"MZxxxx\","
                                        + " \"stop\": { \"call_sid\": \"CAxxxx\", \"account_sid\": \"ACxxxx\", \"reason\": \"callended\" } }"))
                .containsExactly(new StreamEvent.Stopped("callended"));

        for (int i = 0; i < 9; i++) {
            assertThat(codec.media(new short[160])).as("gathering").isEmpty();
        }
        List<Object> chunk = codec.media(new short[160]);
        assertThat(chunk).hasSize(1);
        assertThat(payloadBytes((String) chunk.get(0)))
                .as("3.2 KB, ten 320-byte frames")
                .isEqualTo(3200);
        codec.media(new short[160]);
        assertThat(payloadBytes((String) codec.flush().get(0)))
                .as("a short last chunk, padded")
                .isEqualTo(3200);
        assertThat(codec.flush()).isEmpty();
        assertThat(codec.mark("utt-3"))
                .isEqualTo("{\"event\":\"mark\",\"stream_sid\":\"MZxxxx\",\"mark\":{\"name\":\"utt-3\"}}");
        assertThat(codec.clear()).isEqualTo("{\"event\":\"clear\",\"stream_sid\":\"MZxxxx\"}");
    }

    private static int payloadBytes(String message) throws IOException {
        JsonNode node = JSON.readTree(message);
        assertThat(node.path("event").asText()).isEqualTo("media");
        assertThat(node.path("stream_sid").asText()).isEqualTo("MZxxxx");
        return Base64.getDecoder().decode(node.path("media").path("payload").asText()).length;
    }

    @Test
    void buildsTheExactConnectRequest() throws Exception {
        RestRequest request = plugin.dial(
                new DialOrder("exotel", "+919876543210", null, "echo", Map.of(), Duration.ofSeconds(30), Duration.ZERO),
                "t0",
                "c0ffee000007");
        StringBuilder text = new StringBuilder(request.method() + " " + request.uri() + "\n");
        request.headers()
                .forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append('\n').append(request.body()).append('\n');
        assertThat(text.toString()).isEqualTo(resource("dial-request.txt"));
    }
}
