package dev.softswitch.bridge.provider.vonage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCallRecord;
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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vonage's signed webhooks (the worked example), its NCCO (golden), its stream messages and the dial request. */
class VonagePluginTest {

    private static final String BASE = "https://voice.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1587494962L + 60), ZoneOffset.UTC);
    private final CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
    private final List<ProviderCallRecord> records = new ArrayList<>();
    private final ProviderCalls calls = new ProviderCalls(clock, records::add);
    private final KeyPair rsa = rsa();
    private final ProviderConfig config = new ProviderConfig(
            ProviderKind.VONAGE,
            Map.of("application_id", "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", "caller_id", "447700900000"),
            Map.of(
                    "signature_secret", Secret.of(VonageJwtTest.SECRET),
                    "private_key", Secret.of(pem(rsa))),
            Map.of("default", "echo"),
            null);
    private final VonagePlugin plugin = new VonagePlugin(config, new ProviderUrls(URI.create(BASE)), tokens, clock);

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static String resource(String name) throws IOException {
        try (InputStream in = VonagePluginTest.class.getResourceAsStream("/provider/vonage/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Webhook event(String path, String body, String jwt) {
        return new Webhook(
                "POST",
                URI.create(BASE + path),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + jwt),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsTheSignedEventOnceAndOnlyWithItsBody() throws Exception {
        ProviderCall call = calls.open("c0ffee000005", "vonage", "outbound", "447700900000", "447700900123", "echo");
        calls.named(call, "aaaaaaaa-bbbb-cccc-dddd-0123456789ab");

        RefusedException tampered = catchThrowableOfType(
                RefusedException.class,
                () -> plugin.status(
                        event(
                                "/providers/vonage/status",
                                VonageJwtTest.BODY.replace("answered", "completed"),
                                VonageJwtTest.JWT),
                        calls));
        assertThat(tampered.refusal().httpStatus()).isEqualTo(403);
        assertThat(tampered.getMessage()).contains("payload_hash");

        assertThat(plugin.status(event("/providers/vonage/status", VonageJwtTest.BODY, VonageJwtTest.JWT), calls)
                        .status())
                .isEqualTo(204);
        RefusedException replayed = catchThrowableOfType(
                RefusedException.class,
                () -> plugin.status(event("/providers/vonage/status", VonageJwtTest.BODY, VonageJwtTest.JWT), calls));
        assertThat(replayed.refusal().httpStatus()).isEqualTo(403);

        VonagePlugin later = new VonagePlugin(
                config,
                new ProviderUrls(URI.create(BASE)),
                tokens,
                Clock.fixed(Instant.ofEpochSecond(1587494962L + 301), ZoneOffset.UTC));
        RefusedException stale = catchThrowableOfType(
                RefusedException.class,
                () -> later.status(event("/providers/vonage/status", VonageJwtTest.BODY, VonageJwtTest.JWT), calls));
        assertThat(stale.refusal().httpStatus()).isEqualTo(403);
        assertThat(stale.getMessage()).contains("stale");
    }

    @Test
    void connectsTheCallWithTheGoldenNcco() throws Exception {
        assertThat(plugin.ncco(
                                "0123456789abcdef0123456789abcdef",
                                "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
                                "447700900123",
                                null)
                        .toString())
                .isEqualTo(resource("answer.json").strip());
    }

    @Test
    void speaksTheVonageStream() throws Exception {
        VonageStreamCodec codec = new VonageStreamCodec();
        StreamEvent.Started started = (StreamEvent.Started) codec.onText("""
                { "event": "websocket:connected", "content-type": "audio/l16;rate=16000", "token": "t1",
                  "uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", "language": "en-GB" }""").get(0);
        assertThat(started.token()).isEqualTo("t1");
        assertThat(started.providerCallId()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
        assertThat(started.sampleRate()).isEqualTo(16000);
        assertThat(((StreamEvent.Audio) codec.onBinary(new byte[640]).get(0)).samples())
                .hasSize(320);
        assertThat(codec.onText("{\"event\":\"websocket:dtmf\",\"digit\":\"5\",\"duration\":260}"))
                .containsExactly(new StreamEvent.Dtmf('5', 260));
        assertThat(codec.onText("{\"event\":\"websocket:notify\",\"payload\":{\"reply_id\":\"r-42\"}}"))
                .containsExactly(new StreamEvent.MarkPlayed("r-42"));
        assertThat(codec.onText("{\"event\":\"websocket:cleared\"}")).isEmpty();
        assertThat((byte[]) codec.media(new short[320]).get(0)).hasSize(640);
        assertThat(codec.mark("r-42")).isEqualTo("{\"action\":\"notify\",\"payload\":{\"reply_id\":\"r-42\"}}");
        assertThat(codec.clear()).isEqualTo("{\"action\":\"clear\"}");
    }

    @Test
    void placesACallUnderAnRs256ApplicationJwt() throws Exception {
        RestRequest request = plugin.dial(
                new DialOrder("vonage", "+14155550100", null, "echo", Map.of(), Duration.ofSeconds(30), Duration.ZERO),
                "0123456789abcdef0123456789abcdef",
                "c0ffee000006");

        assertThat(request.method() + " " + request.uri()).isEqualTo("POST https://api.nexmo.com/v1/calls");
        assertThat(request.body()).isEqualTo(resource("dial-body.json").strip());
        String jwt = request.headers().get("Authorization").substring("Bearer ".length());
        String[] parts = jwt.split("\\.");
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(rsa.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("application_id").asText()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
        assertThat(claims.path("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(claims.path("jti").asText()).hasSize(36);
        assertThat(plugin.hangup("u-1").body()).isEqualTo("{\"action\":\"hangup\"}");
        assertThat(plugin.hangup("u-1").method()).isEqualTo("PUT");
    }
}
