package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.audiosocket.AudioSocketFrames;
import dev.softswitch.bridge.provider.plivo.PlivoSignature;
import dev.softswitch.codecs.ToneGenerator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Asterisk AudioSocket, Telnyx, Plivo, Vonage and Exotel against a running softswitch with the echo assistant: a test
 * client plays each (signed webhooks, the answer document, the media socket in that provider's words; Asterisk at each
 * of its nine rates) and hears its tone come back in that provider's format and framing, at real time; every call
 * leaves its record, is counted in /health and /metrics, and is waited for, then ended, by a drain.
 */
class ProvidersIT extends ProviderItBase {

    // ------------------------------------------------------------------ Asterisk AudioSocket

    @Test
    void asteriskAudioSocketIsEchoedAtRealTimeInItsOwnKind() throws Exception {
        UUID uuid = UUID.fromString("40325ec2-5efd-4bd3-805f-53576e581d13");
        int before = records.of("echo").size();
        try (AsteriskCaller asterisk = new AsteriskCaller(audioSocketPort, uuid)) {
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            asterisk.stream(0x10, 50, i -> tone.next(160));
            await().atMost(LIMIT).until(() -> HeardAudio.framesDominatedBy(asterisk.heard(), 1000) >= 40);

            List<AsteriskCaller.Frame> frames = asterisk.received();
            assertThat(frames).allSatisfy(f -> {
                assertThat(f.kind()).as("slin, as Asterisk sent").isEqualTo(0x10);
                assertThat(f.payload()).as("one 20 ms frame").hasSize(320);
            });
            // Real time, one frame per 20 ms: 40 frames cannot arrive in less than ~780 ms.
            long spanMs = TimeUnit.NANOSECONDS.toMillis(
                    frames.get(39).at() - frames.get(0).at());
            assertThat(spanMs).as("arrival span of 40 frames").isBetween(700L, 2000L);

            asterisk.send(AudioSocketFrames.frame(AudioSocketFrames.DTMF, new byte[] {'5'}));
            asterisk.stream(0x10, 5, i -> new short[160]);
        } // Asterisk hangs up by closing the socket
        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("trunk").asText()).isEqualTo("audiosocket");
        assertThat(record.path("to").asText()).isEqualTo(uuid.toString());
        assertThat(record.path("codec").asText()).isEqualTo("L16");
        assertThat(record.path("ended_by").asText()).isEqualTo("caller");
        assertThat(record.path("dtmf_count").asInt()).isEqualTo(1);
    }

    /**
     * Asterisk at each of its nine rates at once, 8 to 192 kHz: each call's tone (high in its band, 0.35 of its rate
     * up to 18 kHz) is resampled to the echo assistant's rate and back, and comes back in the caller's own kind, 20 ms
     * frames at that rate. Meanwhile they are calls: /health and /metrics count them.
     */
    @Test
    void asteriskAtEveryRateIsEchoedInItsOwnKind() throws Exception {
        int before = records.of("echo").size();
        List<AsteriskCaller> callers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Thread> talking = new ArrayList<>();
            for (int kind = 0x10; kind <= 0x18; kind++) {
                int k = kind;
                int rate = AudioSocketFrames.rateOf(kind);
                AsteriskCaller asterisk = new AsteriskCaller(audioSocketPort, UUID.randomUUID());
                callers.add(asterisk);
                ToneGenerator tone = new ToneGenerator(toneFor(rate), rate, 0.5);
                talking.add(Thread.ofVirtual().start(() -> {
                    try {
                        asterisk.stream(k, 40, i -> tone.next(rate / 50));
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }));
            }
            await().atMost(LIMIT).until(() -> java.util.stream.IntStream.range(0, callers.size())
                    .allMatch(i -> toneFrames(callers.get(i), 0x10 + i) >= 25));

            for (int i = 0; i < callers.size(); i++) {
                int kind = 0x10 + i;
                int bytes = 2 * AudioSocketFrames.rateOf(kind) / 50; // 20 ms: 1764 bytes at 44.1 kHz
                assertThat(callers.get(i).received()).as("kind 0x%x", kind).allSatisfy(f -> {
                    assertThat(f.kind()).as("the kind Asterisk sent").isEqualTo(kind);
                    assertThat(f.payload()).as("one 20 ms frame").hasSize(bytes);
                });
            }
            assertThat(get("/health")).contains("\"activeCalls\":9");
            assertThat(get("/metrics")).contains("softswitch_provider_calls_active{provider=\"audiosocket\"} 9.0");
            for (Thread t : talking) {
                t.join(5000);
            }
            assertThat(failures).isEmpty();
        } finally {
            for (AsteriskCaller c : callers) {
                c.close(); // Asterisk hangs up by closing the socket
            }
        }
        await().atMost(LIMIT).until(() -> records.of("echo").size() >= before + 9);
        await().atMost(LIMIT).until(() -> get("/metrics")
                .contains("softswitch_provider_calls_total{provider=\"audiosocket\",result=\"completed\"} 9.0"));
        assertThat(get("/metrics")).contains("softswitch_provider_calls_active{provider=\"audiosocket\"} 0.0");
    }

    /** A tone high in the band of {@code rate}, within what the resampler passes flat (0.4 of the lower rate). */
    private static double toneFor(int rate) {
        return Math.min(0.35 * rate, 18_000);
    }

    /** How many 20 ms frames Asterisk got back are loud and mostly the tone of their rate. */
    private static int toneFrames(AsteriskCaller asterisk, int kind) {
        int rate = AudioSocketFrames.rateOf(kind);
        int count = 0;
        for (AsteriskCaller.Frame f : asterisk.received()) {
            short[] pcm = dev.softswitch.codecs.Pcm.fromLittleEndian(f.payload(), 0, f.payload().length);
            if (f.kind() == kind
                    && HeardAudio.rms(pcm, 0, pcm.length) > 300
                    && dev.softswitch.codecs.Goertzel.relativePower(pcm, 0, pcm.length, toneFor(rate), rate) > 0.6) {
                count++;
            }
        }
        return count;
    }

    @Test
    void anAudioSocketWhoseKindChangesMidCallIsHungUp() throws Exception {
        try (AsteriskCaller asterisk = new AsteriskCaller(audioSocketPort, UUID.randomUUID())) {
            asterisk.send(AudioSocketFrames.frame(0x10, new byte[320]));
            asterisk.send(AudioSocketFrames.frame(0x12, new byte[640]));
            assertThat(asterisk.ended().get(5, TimeUnit.SECONDS)).isEqualTo("closed");
            assertThat(asterisk.received())
                    .as("nothing but audio of its kind or hangup is ever sent to Asterisk")
                    .allSatisfy(f -> assertThat(f.kind()).isIn(0x10, 0x00));
        }
    }

    // ------------------------------------------------------------------ draining

    /**
     * SIGTERM's drain with an AudioSocket call and an Exotel stream in progress: both are counted and go on, new ones
     * are refused in their protocol's terms (AudioSocket closed, webhook and media upgrade 503), and at the drain limit
     * each is ended its provider's way: Asterisk gets {@code 0x00} before the socket closes, Exotel a close 1000.
     */
    @Test
    void aDrainWaitsForProviderCallsRefusesNewOnesAndEndsThemAtItsLimit() throws Exception {
        int before = records.of("echo").size();
        try (AsteriskCaller asterisk = new AsteriskCaller(audioSocketPort, UUID.randomUUID());
                StreamCaller exotel = exotelCall("CAdrain1")) {
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            Thread talking = Thread.ofVirtual().start(() -> {
                try {
                    asterisk.stream(0x10, 500, i -> tone.next(160));
                } catch (Exception e) {
                    // the softswitch hung up mid-stream, as it should at the drain limit
                }
            });
            await().atMost(LIMIT).until(() -> HeardAudio.framesDominatedBy(asterisk.heard(), 1000) >= 10);

            long drainStarted = System.nanoTime();
            Thread drain = Thread.ofPlatform().start(() -> softswitch.drain(Duration.ofSeconds(3)));
            await().atMost(LIMIT).until(() -> health().statusCode() == 503);
            assertThat(health().body()).contains("\"status\":\"draining\"").contains("\"activeCalls\":2");
            int heardAtDrain = asterisk.received().size();

            try (AsteriskCaller late = new AsteriskCaller(audioSocketPort, UUID.randomUUID())) {
                assertThat(late.ended().get(5, TimeUnit.SECONDS))
                        .as("a new AudioSocket connection is closed")
                        .matches("closed|error .*reset.*");
                assertThat(late.received()).isEmpty();
            }
            assertThat(exotelWebhook("CAdrain2").statusCode())
                    .as("a new call's webhook")
                    .isEqualTo(503);
            Throwable upgrade = catchThrowable(() -> new StreamCaller(
                    URI.create("ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/exotel/media"), Map.of()));
            assertThat(upgrade.getCause())
                    .as("a new media socket")
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(503));
            await().atMost(LIMIT)
                    .alias("the call in progress goes on")
                    .until(() -> asterisk.received().size() >= heardAtDrain + 25);

            drain.join(15_000);
            assertThat(drain.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - drainStarted))
                    .as("waited for the calls until the limit")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
            assertThat(asterisk.ended().get(5, TimeUnit.SECONDS)).isEqualTo("closed");
            assertThat(asterisk.received().getLast().kind())
                    .as("Asterisk was told to hang up")
                    .isEqualTo(0x00);
            assertThat(exotel.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 hung up");
            talking.join(5000);
        }
        await().atMost(LIMIT).until(() -> records.of("echo").size() >= before + 2);
        assertThat(records.of("echo").subList(before, before + 2))
                .extracting(
                        r -> r.path("trunk").asText() + " " + r.path("ended_by").asText())
                .containsExactlyInAnyOrder("audiosocket softswitch", "exotel softswitch");
    }

    @Test
    void aDrainEndsAsSoonAsTheLastProviderCallDoes() throws Exception {
        Thread drain;
        long drainStarted;
        try (AsteriskCaller asterisk = new AsteriskCaller(audioSocketPort, UUID.randomUUID())) {
            asterisk.stream(0x10, 5, i -> new short[160]);
            await().atMost(LIMIT).until(() -> get("/health").contains("\"activeCalls\":1"));
            drainStarted = System.nanoTime();
            drain = Thread.ofPlatform().start(() -> softswitch.drain(Duration.ofSeconds(30)));
            await().atMost(LIMIT).until(() -> health().statusCode() == 503);
            assertThat(drain.isAlive())
                    .as("the drain waits for the AudioSocket call")
                    .isTrue();
        } // Asterisk hangs up
        drain.join(15_000);
        assertThat(drain.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - drainStarted)).isLessThan(Duration.ofSeconds(10));
        assertThat(records.of("echo").getLast().path("ended_by").asText()).isEqualTo("caller");
    }

    private String get(String path) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private HttpResponse<String> health() throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Exotel's dynamic URL request for a call, with the Basic credentials of the configuration. */
    private HttpResponse<String> exotelWebhook(String callSid) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/providers/exotel/incoming?CallSid=" + callSid
                                + "&From=%2B919876543210&To=%2B918047491899"))
                        .timeout(Duration.ofSeconds(5))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("KEY1:TOKEN1".getBytes(StandardCharsets.UTF_8)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An Exotel call answered and its stream started, its audio flowing back. */
    private StreamCaller exotelCall(String callSid) throws Exception {
        String stream = json.readTree(exotelWebhook(callSid).body()).path("url").asText();
        String token = stream.substring(stream.indexOf("token=") + 6);
        StreamCaller exotel = new StreamCaller(URI.create(stream), Map.of());
        exotel.send("{\"event\":\"connected\"}");
        exotel.send("""
                {"event":"start","sequence_number":"1","stream_sid":"MZ%s","start":{"stream_sid":"MZ%s",                "call_sid":"%s","account_sid":"acme1","from":"+919876543210","to":"+918047491899",                "custom_parameters":{"token":"%s"},"media_format":{"encoding":"audio/x-raw","sample_rate":"8000",                "bit_rate":"16"}}}""".formatted(callSid, callSid, callSid, token));
        return exotel;
    }

    // ------------------------------------------------------------------ Telnyx

    @Test
    void telnyxCallIsAnsweredWithAStreamReorderedAndEchoed() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String event = """
                {"data":{"event_type":"call.initiated","id":"%s","occurred_at":"2026-12-01T10:00:00.000Z",                "payload":{"call_control_id":"v3:it-1","direction":"incoming","from":"+13125550100",                "to":"+13125550199","state":"parked"},"record_type":"event"},"meta":{"attempt":1}}""".formatted(UUID.randomUUID());
        HttpResponse<String> forged = telnyxWebhook(event, now, TELNYX.sign("0|other"));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> stale = telnyxWebhook(event, now - 600, TELNYX.sign((now - 600) + "|" + event));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(telnyxWebhook(event, now, TELNYX.sign(now + "|" + event)).statusCode())
                .isEqualTo(204);

        FakeProviderApi.Request answer = api.next(LIMIT);
        assertThat(answer.path()).isEqualTo("/v2/calls/v3:it-1/actions/answer");
        assertThat(answer.headers()).containsEntry("authorization", "Bearer KEY-telnyx");
        JsonNode command = json.readTree(answer.body());
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/telnyx/media";
        assertThat(command.path("stream_url").asText()).isEqualTo(media);
        assertThat(command.path("stream_bidirectional_mode").asText()).isEqualTo("rtp");
        assertThat(command.path("stream_bidirectional_codec").asText()).isEqualTo("PCMU");
        String token = command.path("stream_auth_token").asText();

        int before = records.of("echo").size();
        try (StreamCaller telnyx =
                new StreamCaller(URI.create(media), Map.of("x-telnyx-streaming-auth-token", token))) {
            telnyx.send("{\"event\":\"connected\",\"version\":\"1.0.0\"}");
            telnyx.send("""
                    {"event":"start","sequence_number":"1","stream_id":"S-it","start":{"call_control_id":"v3:it-1",                    "from":"+13125550100","to":"+13125550199","media_format":{"encoding":"PCMU","sample_rate":8000,                    "channels":1}}}""");
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            short[][] frames = new short[50][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = tone.next(160);
            }
            // Pairs swapped on the wire: 2, 1, 4, 3, ...; the softswitch puts them back.
            telnyx.stream(50, 20, i -> {
                int chunk = (i % 2 == 0 ? i + 1 : i - 1);
                return "{\"event\":\"media\",\"sequence_number\":\"" + (i + 2) + "\",\"stream_id\":\"S-it\","
                        + "\"media\":{\"track\":\"inbound\",\"chunk\":\"" + (chunk + 1) + "\",\"timestamp\":\""
                        + (chunk * 20) + "\",\"payload\":\"" + StreamCaller.ulawBase64(frames[chunk]) + "\"}}";
            });
            await().atMost(LIMIT)
                    .until(() -> HeardAudio.framesDominatedBy(
                                    StreamCaller.ulaw(telnyx.events("media").stream()
                                            .map(t -> t.message()
                                                    .path("media")
                                                    .path("payload")
                                                    .asText())
                                            .toList()),
                                    1000)
                            >= 40);
            assertThat(telnyx.events("media"))
                    .allSatisfy(t -> assertThat(t.message().size())
                            .as("event and media only")
                            .isEqualTo(2));
            telnyx.send("{\"event\":\"stop\",\"sequence_number\":\"99\",\"stream_id\":\"S-it\",\"stop\":{}}");
            assertThat(telnyx.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 stream stopped");
        }
        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("trunk").asText()).isEqualTo("telnyx");
        assertThat(record.path("sip_call_id").asText()).isEqualTo("v3:it-1");
        assertThat(record.path("from").asText()).isEqualTo("+13125550100");
    }

    private HttpResponse<String> telnyxWebhook(String body, long timestamp, String signature) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/providers/telnyx/incoming"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .header("telnyx-timestamp", Long.toString(timestamp))
                        .header("telnyx-signature-ed25519", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ Plivo

    @Test
    void plivoCallIsAnsweredWithABidirectionalStreamAndEchoed() throws Exception {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallUUID", List.of("12345678-1234-1234-1234-123456789abc"));
        params.put("From", List.of("14155550100"));
        params.put("To", List.of("14155550199"));
        params.put("Direction", List.of("inbound"));
        params.put("CallStatus", List.of("ringing"));
        HttpResponse<String> forged = plivoWebhook(params, "1001", "bm90IGl0");
        assertThat(forged.statusCode()).isEqualTo(403);
        String signature = PlivoSignature.compute(
                PLIVO_TOKEN,
                PlivoSignature.baseString("POST", URI.create(base + "/providers/plivo/incoming"), params),
                "1002");
        HttpResponse<String> answer = plivoWebhook(params, "1002", signature);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(plivoWebhook(params, "1002", signature).statusCode())
                .as("a replayed nonce")
                .isEqualTo(403);
        Matcher token = Pattern.compile("extraHeaders=\"token=([0-9a-f]+)\"").matcher(answer.body());
        assertThat(token.find()).as(answer.body()).isTrue();
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/plivo/media";
        assertThat(answer.body()).contains("bidirectional=\"true\"", ">" + media + "</Stream>");

        int before = records.of("echo").size();
        try (StreamCaller plivo = new StreamCaller(URI.create(media), Map.of())) {
            plivo.send("""
                    {"event":"start","sequenceNumber":1,"start":{"callId":"12345678-1234-1234-1234-123456789abc",                    "streamId":"87654321-4321-4321-4321-cba987654321","accountId":"MAXXXXXXXXXXXXXXXXXX",                    "tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}},                    "extra_headers":"token=%s"}""".formatted(token.group(1)));
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            plivo.stream(
                    50,
                    20,
                    i -> "{\"event\":\"media\",\"sequenceNumber\":" + (i + 2)
                            + ",\"streamId\":\"87654321-4321-4321-4321-cba987654321\",\"media\":{\"track\":\"inbound\","
                            + "\"timestamp\":\"" + (1705312200000L + i * 20) + "\",\"chunk\":" + (i + 1)
                            + ",\"payload\":\""
                            + StreamCaller.ulawBase64(tone.next(160)) + "\"}}");
            await().atMost(LIMIT)
                    .until(() -> HeardAudio.framesDominatedBy(
                                    StreamCaller.ulaw(plivo.events("playAudio").stream()
                                            .map(t -> t.message()
                                                    .path("media")
                                                    .path("payload")
                                                    .asText())
                                            .toList()),
                                    1000)
                            >= 40);
            assertThat(plivo.events("playAudio")).allSatisfy(t -> {
                assertThat(t.message().path("media").path("contentType").asText())
                        .isEqualTo("audio/x-mulaw");
                assertThat(t.message().path("media").path("sampleRate").asInt()).isEqualTo(8000);
            });
        } // Plivo ends the stream by closing the socket
        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("trunk").asText()).isEqualTo("plivo");
        assertThat(record.path("sip_call_id").asText()).isEqualTo("12345678-1234-1234-1234-123456789abc");
        assertThat(record.path("ended_by").asText()).isEqualTo("caller");
    }

    private HttpResponse<String> plivoWebhook(Map<String, List<String>> params, String nonce, String signature)
            throws Exception {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/providers/plivo/incoming"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Plivo-Signature-V3", signature)
                        .header("X-Plivo-Signature-V3-Nonce", nonce)
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(pairs)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ Vonage

    @Test
    void vonageCallIsConnectedToOurWebSocketAndEchoedAtSixteenKilohertz() throws Exception {
        String query = "?to=447700900000&from=447700900123&uuid=aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
                + "&conversation_uuid=CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
        HttpResponse<String> unsigned = client.send(
                HttpRequest.newBuilder(URI.create(base + "/providers/vonage/incoming" + query))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(URI.create(base + "/providers/vonage/incoming" + query))
                        .header("Authorization", "Bearer " + vonageJwt(VONAGE_SECRET))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode endpoint = json.readTree(answer.body()).get(0).path("endpoint").get(0);
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/vonage/media";
        assertThat(endpoint.path("uri").asText()).isEqualTo(media);
        assertThat(endpoint.path("content-type").asText()).isEqualTo("audio/l16;rate=16000");
        String token = endpoint.path("headers").path("token").asText();

        Throwable forged = catchThrowable(() -> new StreamCaller(
                URI.create(media), Map.of("Authorization", "Bearer " + vonageJwt("not-the-secret-at-all-0123456789"))));
        assertThat(forged.getCause()).isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(
                        e.getResponse().statusCode())
                .isEqualTo(403));

        int before = records.of("echo").size();
        try (StreamCaller vonage =
                new StreamCaller(URI.create(media), Map.of("Authorization", "Bearer " + vonageJwt(VONAGE_SECRET)))) {
            vonage.send("""
                    {"event":"websocket:connected","content-type":"audio/l16;rate=16000","token":"%s",                    "uuid":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab"}""".formatted(token));
            ToneGenerator tone = new ToneGenerator(3000, 16000, 0.5);
            vonage.stream(40, 20, i -> dev.softswitch.codecs.Pcm.toLittleEndian(tone.next(320)));
            await().atMost(LIMIT).until(() -> vonage.binaries().size() >= 30);
            assertThat(vonage.binaries())
                    .allSatisfy(b ->
                            assertThat(b.data()).as("one 20 ms frame at 16 kHz").hasSize(640));
            short[] heard = StreamCaller.l16(
                    vonage.binaries().stream().map(StreamCaller.Binary::data).toList());
            int loud = 0;
            for (int at = 0; at + 320 <= heard.length; at += 320) {
                if (HeardAudio.rms(heard, at, 320) > 300
                        && dev.softswitch.codecs.Goertzel.relativePower(heard, at, 320, 3000, 16000) > 0.6) {
                    loud++;
                }
            }
            assertThat(loud).as("frames of 3 kHz").isGreaterThanOrEqualTo(25);
            vonage.send("{\"event\":\"websocket:dtmf\",\"digit\":\"5\",\"duration\":260}");
        } // Vonage ends the call by closing the socket
        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("trunk").asText()).isEqualTo("vonage");
        assertThat(record.path("codec").asText()).isEqualTo("L16");
        assertThat(record.path("sip_call_id").asText()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
    }

    /** A JWT as Vonage signs its webhooks: HS256 with the signature secret, issued now, a fresh jti. */
    private static String vonageJwt(String secret) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iat\":" + System.currentTimeMillis() / 1000 + ",\"jti\":\""
                        + UUID.randomUUID() + "\",\"iss\":\"Vonage\",\"application_id\":"
                        + "\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}")
                .getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + claims + "."
                + b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
    }

    // ------------------------------------------------------------------ Exotel

    @Test
    void exotelVoicebotGetsItsStreamUrlAndIsEchoedInWholeChunks() throws Exception {
        String url = base + "/providers/exotel/incoming?CallSid=CAexo1&From=%2B919876543210&To=%2B918047491899";
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("KEY1:TOKEN1".getBytes(StandardCharsets.UTF_8)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        String stream = json.readTree(answer.body()).path("url").asText();
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/exotel/media";
        assertThat(stream).startsWith(media + "?sample-rate=8000&token=");
        String token = stream.substring(stream.indexOf("token=") + 6);

        int before = records.of("echo").size();
        try (StreamCaller exotel = new StreamCaller(URI.create(stream), Map.of())) {
            exotel.send("{\"event\":\"connected\"}");
            exotel.send("""
                    {"event":"start","sequence_number":"1","stream_sid":"MZexo","start":{"stream_sid":"MZexo",                    "call_sid":"CAexo1","account_sid":"acme1","from":"+919876543210","to":"+918047491899",                    "custom_parameters":{"token":"%s"},"media_format":{"encoding":"audio/x-raw","sample_rate":"8000",                    "bit_rate":"16"}}}""".formatted(token));
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            // Exotel sends about every 100 ms: five 20 ms frames a message.
            exotel.stream(
                    12,
                    100,
                    i -> "{\"event\":\"media\",\"sequence_number\":\"" + (i + 2)
                            + "\",\"stream_sid\":\"MZexo\",\"media\":{\"chunk\":\"" + (i + 1) + "\",\"timestamp\":\""
                            + (i * 100) + "\",\"payload\":\""
                            + Base64.getEncoder()
                                    .encodeToString(dev.softswitch.codecs.Pcm.toLittleEndian(tone.next(800)))
                            + "\"}}");
            await().atMost(LIMIT)
                    .until(() -> HeardAudio.framesDominatedBy(
                                    StreamCaller.l16(exotel.events("media").stream()
                                            .map(t -> Base64.getDecoder()
                                                    .decode(t.message()
                                                            .path("media")
                                                            .path("payload")
                                                            .asText()))
                                            .toList()),
                                    1000)
                            >= 45);
            assertThat(exotel.events("media")).allSatisfy(t -> {
                assertThat(t.message().path("stream_sid").asText()).isEqualTo("MZexo");
                assertThat(Base64.getDecoder()
                                .decode(t.message()
                                        .path("media")
                                        .path("payload")
                                        .asText()))
                        .as("whole 320-byte frames, at least 3.2 KB")
                        .hasSize(3200);
            });
            exotel.send("{\"event\":\"stop\",\"sequence_number\":\"99\",\"stream_sid\":\"MZexo\","
                    + "\"stop\":{\"call_sid\":\"CAexo1\",\"reason\":\"callended\"}}");
            assertThat(exotel.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 stream stopped");
        }
        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("trunk").asText()).isEqualTo("exotel");
        assertThat(record.path("sip_call_id").asText()).isEqualTo("CAexo1");
        assertThat(record.path("detail").asText()).isEqualTo("caller hung up (callended)");
    }
}
