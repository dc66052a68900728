package dev.softswitch.bridge.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.ClaimedCall;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCallRecord;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.RestResponse;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Twilio's webhooks (signature, routing, replay, TwiML), its status callbacks and the REST request that dials. */
class TwilioPluginTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH = "token-123";
    static final String BASE = "https://voice.example.com";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
    private final List<ProviderCallRecord> records = new ArrayList<>();
    private final ProviderCalls calls = new ProviderCalls(clock, records::add);
    private final ProviderConfig config = new ProviderConfig(
            ProviderKind.TWILIO,
            Map.of("account_sid", SID, "caller_id", "+14155550199"),
            Map.of("auth_token", Secret.of(AUTH)),
            Map.of("+15551230000", "echo"),
            URI.create("http://127.0.0.1:9"));
    private final TwilioPlugin plugin = new TwilioPlugin(config, new ProviderUrls(URI.create(BASE)), tokens, clock);

    static Map<String, List<String>> voiceParams(String callSid, String to) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of(callSid));
        params.put("AccountSid", List.of(SID));
        params.put("From", List.of("+14155550100"));
        params.put("To", List.of(to));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    static Webhook signedPost(String path, Map<String, List<String>> params, @Nullable String signature) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        String url = BASE + path;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("X-Twilio-Signature", signature != null ? signature : TwilioSignature.compute(AUTH, url, params));
        return new Webhook("POST", URI.create(url), headers, Forms.encode(pairs).getBytes(StandardCharsets.UTF_8));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = TwilioPluginTest.class.getResourceAsStream("/provider/twilio/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersWithTheGoldenTwiml() throws Exception {
        assertThat(plugin.answer("tok-golden")).isEqualTo(resource("answer.xml"));
    }

    @Test
    void answersASignedCallWithAStreamWhoseTokenClaimsItOnce() throws Exception {
        WebhookAnswer answer = plugin.incoming(
                signedPost("/providers/twilio/incoming", voiceParams("CA1", "+15551230000"), null), calls);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        Matcher token = Pattern.compile("<Parameter name=\"token\" value=\"([0-9a-f]{32})\"/>")
                .matcher(answer.body());
        assertThat(token.find()).as(answer.body()).isTrue();
        assertThat(answer.body())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Connect><Stream"
                        + " url=\"wss://voice.example.com/providers/twilio/media\"")
                .doesNotContain("media?");
        ClaimedCall claimed = tokens.claim(token.group(1)).orElseThrow();
        assertThat(claimed.assistantId()).isEqualTo("echo");
        assertThat(claimed.from()).isEqualTo("+14155550100");
        assertThat(claimed.to()).isEqualTo("+15551230000");
        assertThat(claimed.direction()).isEqualTo("inbound");
        assertThat(claimed.variables()).containsEntry("provider_call_id", "CA1");
        assertThat(tokens.claim(token.group(1))).as("single use").isEmpty();
    }

    @Test
    void refusesATamperedForgedOrReplayedWebhookWith403() throws Exception {
        Map<String, List<String>> params = voiceParams("CA2", "+15551230000");
        String signature = TwilioSignature.compute(AUTH, BASE + "/providers/twilio/incoming", params);
        Map<String, List<String>> tampered = voiceParams("CA2", "+15551230000");
        tampered.put("From", List.of("+19999999999"));

        assertThat(status(() -> plugin.incoming(signedPost("/providers/twilio/incoming", tampered, signature), calls)))
                .isEqualTo(403);
        assertThat(status(() -> plugin.incoming(
                        signedPost("/providers/twilio/incoming", params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), calls)))
                .isEqualTo(403);
        assertThat(status(() -> plugin.incoming(
                        new Webhook(
                                "POST",
                                URI.create(BASE + "/providers/twilio/incoming"),
                                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                                "CallSid=CA2&To=%2B15551230000".getBytes(StandardCharsets.UTF_8)),
                        calls)))
                .as("unsigned")
                .isEqualTo(403);

        assertThat(plugin.incoming(signedPost("/providers/twilio/incoming", params, signature), calls)
                        .status())
                .isEqualTo(200);
        assertThat(status(() -> plugin.incoming(signedPost("/providers/twilio/incoming", params, signature), calls)))
                .as("the same signed webhook again")
                .isEqualTo(403);
    }

    @Test
    void rejectsANumberNoAssistantAnswers() throws Exception {
        ProviderConfig unrouted = new ProviderConfig(
                ProviderKind.TWILIO, config.settings(), config.secrets(), Map.of(), config.apiBaseUrl());
        TwilioPlugin strict = new TwilioPlugin(unrouted, new ProviderUrls(URI.create(BASE)), tokens, clock);

        WebhookAnswer answer = strict.incoming(
                signedPost("/providers/twilio/incoming", voiceParams("CA3", "+15550000000"), null), calls);

        assertThat(answer.body())
                .isEqualTo(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Reject reason=\"rejected\"/></Response>\n");
    }

    @Test
    void checksTheMediaUpgradeSignatureOverTheWssUrl() throws Exception {
        String url = BASE + "/providers/twilio/media";
        String wss = "wss://voice.example.com/providers/twilio/media";
        plugin.checkUpgrade(upgrade(url, TwilioSignature.compute(AUTH, wss, Map.of())));
        plugin.checkUpgrade(upgrade(url, null)); // the token in start still has to claim the call
        assertThat(status(() -> plugin.checkUpgrade(upgrade(url, TwilioSignature.compute("other", wss, Map.of())))))
                .isEqualTo(403);
    }

    private static Webhook upgrade(String url, @Nullable String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Upgrade", "websocket");
        if (signature != null) {
            headers.put("x-twilio-signature", signature);
        }
        return new Webhook("GET", URI.create(url), headers, new byte[0]);
    }

    @Test
    void buildsTheExactCallsJsonRequest() throws Exception {
        DialOrder order = new DialOrder(
                "twilio", "+14155550100", null, "echo", Map.of(), Duration.ofSeconds(30), Duration.ofMinutes(5));

        RestRequest request = plugin.dial(order, "tok-golden", "c0ffee000001");

        StringBuilder text = new StringBuilder(request.method() + " " + request.uri() + "\n");
        request.headers()
                .forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append('\n').append(request.body()).append('\n');
        assertThat(text.toString()).isEqualTo(resource("dial-request.txt"));
        assertThat(request.toString()).doesNotContain("Basic");
        assertThat(plugin.dialedCallId(new RestResponse(201, "{\"sid\":\"CA77\",\"status\":\"queued\"}")))
                .isEqualTo("CA77");
        RestRequest hangup = plugin.hangup("CA77");
        assertThat(hangup.uri())
                .isEqualTo(URI.create("http://127.0.0.1:9/2010-04-01/Accounts/" + SID + "/Calls/CA77.json"));
        assertThat(hangup.body()).isEqualTo("Status=completed");
    }

    @Test
    void mapsStatusCallbacksOntoThePlacedCallAndItsRecord() throws Exception {
        ProviderCall call = openOutbound();
        Map<String, List<String>> params = voiceParams("CA9", "+14155550100");
        params.put("CallStatus", List.of("ringing"));
        String path = "/providers/twilio/status?call=" + call.id();
        assertThat(plugin.status(signedPost(path, params, null), calls).status())
                .isEqualTo(204);
        assertThat(call.status().phase()).isEqualTo(ProviderCall.Phase.RINGING);
        assertThat(call.providerCallId()).isEqualTo("CA9");

        params.put("CallStatus", List.of("busy"));
        params.put("SipResponseCode", List.of("486"));
        plugin.status(signedPost(path, params, null), calls);

        assertThat(call.status().phase()).isEqualTo(ProviderCall.Phase.ENDED);
        assertThat(call.status().outcome()).isEqualTo(ProviderCall.Outcome.BUSY);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("busy");
            assertThat(r.status()).isEqualTo(486);
            assertThat(r.endedBy()).isEqualTo("callee");
            assertThat(r.providerCallId()).isEqualTo("CA9");
            assertThat(r.detail()).isEqualTo("twilio: busy (SIP 486)");
        });
        assertThat(status(() -> plugin.status(signedPost(path, params, "bad"), calls)))
                .isEqualTo(403);
    }

    private ProviderCall openOutbound() {
        return calls.open("c0ffee000002", "twilio", "outbound", "+14155550199", "+14155550100", "echo");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static int status(Call call) throws Exception {
        RefusedException refused = catchThrowableOfType(RefusedException.class, call::run);
        assertThat(refused).as("refused").isNotNull();
        return refused.refusal().httpStatus();
    }
}
