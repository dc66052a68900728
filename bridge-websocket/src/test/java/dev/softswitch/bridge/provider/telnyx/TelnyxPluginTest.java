package dev.softswitch.bridge.provider.telnyx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCallRecord;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.bridge.provider.RestClient;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.RestResponse;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Telnyx's Call Control webhook answered with a stream, its events as progress, and the REST requests, golden. */
class TelnyxPluginTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_030L), ZoneOffset.UTC);
    private final CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
    private final List<ProviderCallRecord> records = new ArrayList<>();
    private final ProviderCalls calls = new ProviderCalls(clock, records::add);
    private final List<RestRequest> sent = new ArrayList<>();
    private final RestClient rest = new RestClient() {
        @Override
        public CompletableFuture<RestResponse> send(RestRequest request) {
            sent.add(request);
            return CompletableFuture.completedFuture(new RestResponse(200, "{}"));
        }
    };
    private final ProviderConfig config = new ProviderConfig(
            ProviderKind.TELNYX,
            Map.of(
                    "public_key",
                    TelnyxSignatureTest.PUBLIC_KEY,
                    "connection_id",
                    "1494404757140276705",
                    "caller_id",
                    "+18005550100"),
            Map.of("api_key", Secret.of("KEY0123")),
            Map.of("default", "echo"),
            null);
    private final TelnyxPlugin plugin =
            new TelnyxPlugin(config, new ProviderUrls(URI.create("https://voice.example.com")), tokens, clock, rest);

    private static Webhook signed(String path, String body, String signature, String timestamp) {
        return new Webhook(
                "POST",
                URI.create("https://voice.example.com" + path),
                Map.of(
                        "Content-Type",
                        "application/json",
                        TelnyxSignature.SIGNATURE,
                        signature,
                        TelnyxSignature.TIMESTAMP,
                        timestamp),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = TelnyxPluginTest.class.getResourceAsStream("/provider/telnyx/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String text(RestRequest request) {
        StringBuilder text = new StringBuilder(request.method() + " " + request.uri() + "\n");
        request.headers()
                .forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        return text.append('\n').append(request.body()).append('\n').toString();
    }

    @Test
    void answersTheSignedCallInitiatedWithAStreamToUs() throws Exception {
        Webhook hook = signed(
                "/providers/telnyx/incoming",
                TelnyxSignatureTest.BODY,
                TelnyxSignatureTest.SIGNATURE,
                TelnyxSignatureTest.TIMESTAMP);

        assertThat(plugin.incoming(hook, calls).status()).isEqualTo(204);

        assertThat(sent).hasSize(1);
        String token = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(sent.get(0).body())
                .path("stream_auth_token")
                .asText();
        assertThat(text(sent.get(0))).isEqualTo(resource("answer-request.txt").replace("TOKEN", token));
        assertThat(tokens.claim(token).orElseThrow().to()).isEqualTo("+13125550199");

        RefusedException replayed = catchThrowableOfType(RefusedException.class, () -> plugin.incoming(hook, calls));
        assertThat(replayed.refusal().httpStatus()).as("the same event again").isEqualTo(403);
        assertThat(sent).hasSize(1);
    }

    @Test
    void refusesStaleAndTamperedWebhooksWith403() {
        TelnyxPlugin later = new TelnyxPlugin(
                config,
                new ProviderUrls(URI.create("https://voice.example.com")),
                tokens,
                Clock.fixed(Instant.ofEpochSecond(1_700_000_301L), ZoneOffset.UTC),
                rest);
        RefusedException stale = catchThrowableOfType(
                RefusedException.class,
                () -> later.incoming(
                        signed(
                                "/providers/telnyx/incoming",
                                TelnyxSignatureTest.BODY,
                                TelnyxSignatureTest.SIGNATURE,
                                TelnyxSignatureTest.TIMESTAMP),
                        calls));
        assertThat(stale.refusal().httpStatus()).isEqualTo(403);
        assertThat(stale.getMessage()).contains("stale");
        RefusedException tampered = catchThrowableOfType(
                RefusedException.class,
                () -> plugin.incoming(
                        signed(
                                "/providers/telnyx/incoming",
                                TelnyxSignatureTest.BODY.replace("v3:abc", "v3:abd"),
                                TelnyxSignatureTest.SIGNATURE,
                                TelnyxSignatureTest.TIMESTAMP),
                        calls));
        assertThat(tampered.refusal().httpStatus()).isEqualTo(403);
        assertThat(sent).isEmpty();
    }

    @Test
    void buildsTheExactDialRequestAndMapsHangupCauses() throws Exception {
        RestRequest dial = plugin.dial(
                new DialOrder("telnyx", "+18005550199", null, "echo", Map.of(), Duration.ofSeconds(30), Duration.ZERO),
                "tok-golden",
                "c0ffee000003");
        assertThat(text(dial)).isEqualTo(resource("dial-request.txt"));
        assertThat(plugin.dialedCallId(new RestResponse(
                        200, "{\"data\":{\"call_control_id\":\"v3:xyz\",\"call_leg_id\":\"l\",\"is_alive\":false}}")))
                .isEqualTo("v3:xyz");
        assertThat(plugin.hangup("v3:xyz").uri())
                .isEqualTo(URI.create("https://api.telnyx.com/v2/calls/v3:xyz/actions/hangup"));

        assertThat(TelnyxPlugin.progress("call.hangup", "user_busy")).hasToString("BUSY");
        assertThat(TelnyxPlugin.progress("call.hangup", "normal_clearing")).hasToString("COMPLETED");
        assertThat(TelnyxPlugin.progress("call.hangup", "timeout")).hasToString("NO_ANSWER");
        assertThat(TelnyxPlugin.progress("streaming.started", "")).isNull();

        ProviderCall call = calls.open("c0ffee000003", "telnyx", "outbound", "+18005550100", "+18005550199", "echo");
        calls.named(call, "v3:xyz");
        assertThat(call.status().phase()).isEqualTo(ProviderCall.Phase.QUEUED);
    }
}
