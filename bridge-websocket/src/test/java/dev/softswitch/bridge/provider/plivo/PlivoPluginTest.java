package dev.softswitch.bridge.provider.plivo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.StreamEvent;
import dev.softswitch.bridge.provider.Webhook;
import dev.softswitch.bridge.provider.WebhookAnswer;
import dev.softswitch.config.ProviderConfig;
import dev.softswitch.config.ProviderKind;
import dev.softswitch.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Plivo's answer XML (golden), signature and nonce checks on the webhook, its stream messages, the dial request. */
class PlivoPluginTest {

    private static final String BASE = "https://voice.example.com";

    private final Clock clock = Clock.systemUTC();
    private final CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
    private final ProviderCalls calls = new ProviderCalls(clock, r -> {});
    private final ProviderConfig config = new ProviderConfig(
            ProviderKind.PLIVO,
            Map.of("auth_id", "MAXXXXXXXXXXXXXXXXXX", "caller_id", "+14155550199"),
            Map.of("auth_token", Secret.of(PlivoSignatureTest.TOKEN)),
            Map.of("default", "echo"),
            null);
    private final PlivoPlugin plugin = new PlivoPlugin(config, new ProviderUrls(URI.create(BASE)), tokens, clock);

    static String resource(String name) throws IOException {
        try (InputStream in = PlivoPluginTest.class.getResourceAsStream("/provider/plivo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Webhook signed(String path, Map<String, List<String>> params, String nonce, String signature) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return new Webhook(
                "POST",
                URI.create(BASE + path),
                Map.of(
                        "Content-Type",
                        "application/x-www-form-urlencoded",
                        PlivoSignature.HEADER,
                        signature,
                        PlivoSignature.NONCE,
                        nonce),
                Forms.encode(pairs).getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String path, Map<String, List<String>> params, String nonce) {
        return PlivoSignature.compute(
                PlivoSignatureTest.TOKEN, PlivoSignature.baseString("POST", URI.create(BASE + path), params), nonce);
    }

    @Test
    void answersWithTheGoldenStreamXml() throws Exception {
        assertThat(plugin.answer("0123456789abcdef0123456789abcdef")).isEqualTo(resource("answer.xml"));
    }

    @Test
    void answersASignedCallOnceAndItsTokenComesBackInExtraHeaders() throws Exception {
        String path = "/providers/plivo/incoming";
        Map<String, List<String>> params = PlivoSignatureTest.answerParams();
        Webhook hook = signed(path, params, "111", sign(path, params, "111"));

        WebhookAnswer answer = plugin.incoming(hook, calls);

        Matcher token = Pattern.compile("extraHeaders=\"token=([0-9a-f]{32})\"").matcher(answer.body());
        assertThat(token.find()).as(answer.body()).isTrue();
        PlivoStreamCodec codec = new PlivoStreamCodec();
        StreamEvent.Started started = (StreamEvent.Started)
                codec.onText("""
                { "event": "start", "sequenceNumber": 1,
                  "start": { "callId": "12345678-1234-1234-1234-123456789abc", "streamId": "87654321-4321-4321-4321-cba987654321",
                             "accountId": "MAXXXXXXXXXXXXXXXXXX", "tracks": ["inbound"],
                             "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000 } },
                  "extra_headers": "token=%s;other=1" }""".formatted(token.group(1))).get(0);
        assertThat(tokens.claim(started.token()).orElseThrow().from()).isEqualTo("14155550100");

        RefusedException replayed = catchThrowableOfType(RefusedException.class, () -> plugin.incoming(hook, calls));
        assertThat(replayed.refusal().httpStatus()).as("the nonce again").isEqualTo(403);
        Map<String, List<String>> tampered = PlivoSignatureTest.answerParams();
        tampered.put("From", List.of("19995550000"));
        RefusedException forged = catchThrowableOfType(
                RefusedException.class,
                () -> plugin.incoming(signed(path, tampered, "222", sign(path, params, "222")), calls));
        assertThat(forged.refusal().httpStatus()).isEqualTo(403);
    }

    @Test
    void speaksThePlivoStreamGolden() throws Exception {
        PlivoStreamCodec codec = new PlivoStreamCodec();
        codec.onText(
                "{\"event\":\"start\",\"sequenceNumber\":1,\"start\":{\"callId\":\"c\",\"streamId\":\"20170ada-f610-433b-8758-c02a2aab3662\","
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000}},\"extra_headers\":\"\"}");
        assertThat(codec.media(new short[] {0, 0, 0, 0}))
                .containsExactly(
                        "{\"event\":\"playAudio\",\"media\":{\"contentType\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                                + "\"payload\":\"/////w==\"}}");
        assertThat(codec.mark("customer greeting audio"))
                .isEqualTo(
                        "{\"event\":\"checkpoint\",\"streamId\":\"20170ada-f610-433b-8758-c02a2aab3662\",\"name\":\"customer greeting audio\"}");
        assertThat(codec.clear())
                .isEqualTo("{\"event\":\"clearAudio\",\"streamId\":\"20170ada-f610-433b-8758-c02a2aab3662\"}");
        assertThat(
                        codec.onText(
                                "{ \"event\": \"playedStream\", \"sequenceNumber\": 9, \"streamId\": \"s\", \"name\": \"customer greeting audio\" }"))
                .containsExactly(new StreamEvent.MarkPlayed("customer greeting audio"));
        assertThat(codec.onText("{ \"event\": \"clearedAudio\", \"sequenceNumber\": 0, \"streamId\": \"s\" }"))
                .isEmpty();
        assertThat(
                        codec.onText(
                                "{ \"event\": \"dtmf\", \"sequenceNumber\": 7, \"streamId\": \"s\", \"dtmf\": { \"track\": \"inbound\", \"digit\": \"5\", \"timestamp\": \"1705312200123\" } }"))
                .containsExactly(new StreamEvent.Dtmf('5', 0));
    }

    @Test
    void buildsTheExactCallRequest() throws Exception {
        RestRequest request = plugin.dial(
                new DialOrder(
                        "plivo", "+14155550100", null, "echo", Map.of(), Duration.ofSeconds(60), Duration.ofHours(1)),
                "0123456789abcdef0123456789abcdef",
                "c0ffee000004");
        StringBuilder text = new StringBuilder(request.method() + " " + request.uri() + "\n");
        request.headers()
                .forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append('\n').append(request.body()).append('\n');
        assertThat(text.toString()).isEqualTo(resource("dial-request.txt"));
        assertThat(plugin.hangup("c-uuid").method()).isEqualTo("DELETE");
        assertThat(plugin.hangup("c-uuid").uri())
                .isEqualTo(URI.create("https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX/Call/c-uuid/"));
    }
}
