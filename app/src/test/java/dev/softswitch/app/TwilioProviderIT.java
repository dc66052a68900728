package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.twilio.TwilioSignature;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Twilio against a running softswitch with the echo assistant: the test plays Twilio (signed webhooks, then a Media
 * Stream over WebSocket carrying a 1 kHz tone) and hears the tone come back paced at real time; it places calls with
 * {@code POST /v1/calls} and {@code softswitch dial --provider} and checks the exact {@code Calls.json} request a local
 * HTTP server received; every call leaves its record.
 */
class TwilioProviderIT extends ProviderItBase {

    // ------------------------------------------------------------------ Twilio, inbound

    @Test
    void twilioCallIsAnsweredStreamedAndEchoedAtRealTime() throws Exception {
        HttpResponse<String> answer = webhook("/providers/twilio/incoming", voice("CA0001", "+15551230000"), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/twilio/media";
        assertThat(answer.body())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Connect><Stream url=\"" + media
                        + "\" statusCallback=\"" + base + "/providers/twilio/status\" statusCallbackMethod=\"POST\">");
        String token = token(answer.body());

        try (TwilioCaller twilio = new TwilioCaller(URI.create(media), signature(media))) {
            twilio.start(token);
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            twilio.stream(50, i -> tone.next(160));
            await().atMost(LIMIT).until(() -> HeardAudio.framesDominatedBy(twilio.heard(), 1000) >= 40);

            List<TwilioCaller.Received> sent = twilio.media();
            String streamSid = sent.get(0).message().path("streamSid").asText();
            assertThat(streamSid).startsWith("MZ");
            assertThat(sent).allSatisfy(r -> {
                assertThat(r.message().path("streamSid").asText()).isEqualTo(streamSid);
                assertThat(r.message().path("media").path("payload").asText()).hasSize(216); // 160 bytes, base64
            });
            // Paced: 40 frames (800 ms of audio) cannot have arrived in much less than 800 ms less the lead.
            long spanMs = TimeUnit.NANOSECONDS.toMillis(
                    sent.get(39).at() - sent.get(0).at());
            assertThat(spanMs).as("arrival span of 40 frames").isBetween(650L, 2000L);

            int before = records.of("echo").size();
            twilio.dtmf('5');
            twilio.stop();
            assertThat(twilio.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 stream stopped");
            JsonNode record = records.awaitNext("echo", before, LIMIT);
            assertThat(record.path("direction").asText()).isEqualTo("inbound");
            assertThat(record.path("trunk").asText()).isEqualTo("twilio");
            assertThat(record.path("sip_call_id").asText()).startsWith("CA");
            assertThat(record.path("from").asText()).isEqualTo("+14155550100");
            assertThat(record.path("to").asText()).isEqualTo("+15551230000");
            assertThat(record.path("codec").asText()).isEqualTo("PCMU");
            assertThat(record.path("ended_by").asText()).isEqualTo("caller");
            assertThat(record.path("reason").asText()).isEqualTo("completed");
            assertThat(record.path("dtmf_count").asInt()).isEqualTo(1);
            assertThat(record.path("duration_ms").asLong()).isGreaterThan(900);
        }

        try (TwilioCaller again = new TwilioCaller(URI.create(media), null)) {
            again.start(token);
            assertThat(again.ended().get(5, TimeUnit.SECONDS))
                    .as("the token was used")
                    .isEqualTo("close 1008 no call is waiting for this stream");
        }
    }

    @Test
    void forgedWebhooksAndUpgradesAreRefusedWith403() throws Exception {
        Map<String, List<String>> params = voice("CA0002", "+15551230000");
        assertThat(webhook("/providers/twilio/incoming", params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
                        .statusCode())
                .isEqualTo(403);
        Map<String, List<String>> tampered = voice("CA0002", "+15551230000");
        String signed = TwilioSignature.compute(AUTH, base + "/providers/twilio/incoming", params);
        tampered.put("From", List.of("+19995550000"));
        assertThat(webhook("/providers/twilio/incoming", tampered, signed).statusCode())
                .isEqualTo(403);
        assertThat(webhook("/providers/twilio/incoming", params, null).statusCode())
                .isEqualTo(200);
        assertThat(webhook("/providers/twilio/incoming", params, null).statusCode())
                .as("the same call's webhook replayed")
                .isEqualTo(403);
        assertThat(webhook("/providers/twilio/incoming", voice("CA0003", "+15550000000"), null)
                        .body())
                .as("a number no assistant answers")
                .contains("<Reject");

        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/twilio/media";
        Throwable refused = catchThrowable(() -> new TwilioCaller(URI.create(media), "forged+signature="));
        assertThat(refused).isInstanceOf(CompletionException.class);
        assertThat(refused.getCause()).isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(
                        e.getResponse().statusCode())
                .isEqualTo(403));
    }

    // ------------------------------------------------------------------ Twilio, outbound

    @Test
    void placesACallThroughCallsJsonAndFollowsIt() throws Exception {
        api.answer(201, "{\"sid\":\"CA00000000000000000000000000000099\",\"status\":\"queued\"}");
        HttpResponse<String> placed =
                post("/v1/calls", "{\"provider\":\"twilio\",\"to\":\"+1 (415) 555-0100\",\"assistant\":\"echo\"}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String id = json.readTree(placed.body()).path("id").asText();

        FakeProviderApi.Request request = api.next(LIMIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Calls.json");
        assertThat(request.headers())
                .containsEntry(
                        "authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((SID + ":" + AUTH).getBytes(StandardCharsets.UTF_8)))
                .containsEntry("content-type", "application/x-www-form-urlencoded")
                .containsEntry("accept", "application/json");
        Map<String, List<String>> form = Forms.parse(request.body());
        assertThat(form.keySet())
                .containsExactly(
                        "To",
                        "From",
                        "Twiml",
                        "StatusCallback",
                        "StatusCallbackEvent",
                        "StatusCallbackMethod",
                        "Timeout",
                        "TimeLimit");
        assertThat(form.get("To")).containsExactly("+14155550100");
        assertThat(form.get("From")).containsExactly("+14155550199");
        assertThat(form.get("StatusCallback")).containsExactly(base + "/providers/twilio/status?call=" + id);
        assertThat(form.get("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
        assertThat(form.get("Timeout")).containsExactly("30");
        assertThat(form.get("TimeLimit")).containsExactly("300");
        String twiml = form.get("Twiml").get(0);
        String media = "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/twilio/media";
        assertThat(twiml).startsWith("<Response><Connect><Stream url=\"" + media + "\"");

        Map<String, List<String>> ringing = voice("CA00000000000000000000000000000099", "+14155550100");
        ringing.put("CallStatus", List.of("ringing"));
        assertThat(webhook("/providers/twilio/status?call=" + id, ringing, null).statusCode())
                .isEqualTo(204);
        await().atMost(LIMIT).until(() -> call(id).path("status").asText().equals("ringing"));

        try (TwilioCaller twilio = new TwilioCaller(URI.create(media), signature(media))) {
            twilio.start(token(twiml));
            await().atMost(LIMIT).until(() -> call(id).path("status").asText().equals("answered"));
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            twilio.stream(25, i -> tone.next(160));
            await().atMost(LIMIT).until(() -> HeardAudio.framesDominatedBy(twilio.heard(), 1000) >= 15);

            int before = records.of("echo").size();
            HttpResponse<String> hungUp = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/calls/" + id))
                            .header("Authorization", "Bearer " + KEY)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hungUp.statusCode()).isEqualTo(202);
            assertThat(twilio.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 hung up");
            JsonNode record = records.awaitNext("echo", before, LIMIT);
            assertThat(record.path("direction").asText()).isEqualTo("outbound");
            assertThat(record.path("sip_call_id").asText()).isEqualTo("CA00000000000000000000000000000099");
            assertThat(record.path("ended_by").asText()).isEqualTo("softswitch");
            assertThat(record.path("to").asText()).isEqualTo("+14155550100");
        }
        JsonNode ended = call(id);
        assertThat(ended.path("status").asText()).isEqualTo("ended");
        assertThat(ended.path("outcome").asText()).isEqualTo("answered");
        assertThat(ended.path("trunk").asText()).isEqualTo("twilio");
    }

    @Test
    void aBusyCalleeIsRecordedFromItsStatusCallback() throws Exception {
        api.answer(201, "{\"sid\":\"CA00000000000000000000000000000042\",\"status\":\"queued\"}");
        HttpResponse<String> placed =
                post("/v1/calls", "{\"provider\":\"twilio\",\"to\":\"+14155550100\",\"assistant\":\"echo\"}");
        String id = json.readTree(placed.body()).path("id").asText();
        api.next(LIMIT);
        int before = records.of("echo").size();
        Map<String, List<String>> busy = voice("CA00000000000000000000000000000042", "+14155550100");
        busy.put("CallStatus", List.of("busy"));
        assertThat(webhook("/providers/twilio/status?call=" + id, busy, null).statusCode())
                .isEqualTo(204);

        JsonNode record = records.awaitNext("echo", before, LIMIT);
        assertThat(record.path("reason").asText()).isEqualTo("busy");
        assertThat(record.path("sip_status").asInt()).isEqualTo(486);
        assertThat(record.path("ended_by").asText()).isEqualTo("callee");
        JsonNode ended = call(id);
        assertThat(ended.path("status").asText()).isEqualTo("ended");
        assertThat(ended.path("outcome").asText()).isEqualTo("busy");

        assertThat(post("/v1/calls", "{\"provider\":\"plivo\",\"to\":\"+14155550100\",\"assistant\":\"echo\"}")
                        .body())
                .contains("\"field\":\"provider\"");
    }

    @Test
    void dialCommandPlacesTheCallThroughTheProviderAndExitsWithItsOutcome() throws Exception {
        softswitch.close(); // dial runs its own, on the same HTTP port, where public_url points
        softswitch = null;
        api.answer(201, "{\"sid\":\"CA00000000000000000000000000000077\",\"status\":\"queued\"}");
        int rtp = FreePorts.rtpRangeStart();
        java.util.concurrent.CompletableFuture<Integer> exit =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> new picocli.CommandLine(new Main())
                        .execute(
                                "dial",
                                "--config",
                                configFile.toString(),
                                "--provider",
                                "twilio",
                                "--to",
                                "+14155550100",
                                "--sip-port",
                                Integer.toString(FreePorts.udpAndTcp()),
                                "--rtp-ports",
                                rtp + "-" + (rtp + 99)));

        FakeProviderApi.Request request = api.next(LIMIT);
        String callback = Forms.parse(request.body()).get("StatusCallback").get(0);
        Map<String, List<String>> noAnswer = voice("CA00000000000000000000000000000077", "+14155550100");
        noAnswer.put("CallStatus", List.of("no-answer"));
        assertThat(webhook(callback.substring(base.length()), noAnswer, null).statusCode())
                .isEqualTo(204);

        assertThat(exit.get(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("dial's exit status (11: no answer)")
                .isEqualTo(11);
        JsonNode record = records.of("echo").get(0);
        assertThat(record.path("reason").asText()).isEqualTo("no_answer");
        assertThat(record.path("direction").asText()).isEqualTo("outbound");
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, List<String>> voice(String callSid, String to) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of(callSid));
        params.put("AccountSid", List.of(SID));
        params.put("From", List.of("+14155550100"));
        params.put("To", List.of(to));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    /** Posts a form as Twilio does, signed for the URL Twilio called unless {@code signature} is given. */
    private HttpResponse<String> webhook(String path, Map<String, List<String>> params, String signature)
            throws Exception {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        String sig = signature != null ? signature : TwilioSignature.compute(AUTH, base + path, params);
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Twilio-Signature", sig)
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(pairs)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String signature(String mediaUrl) {
        return TwilioSignature.compute(AUTH, mediaUrl, Map.of());
    }

    private static String token(String twiml) {
        Matcher m = TOKEN.matcher(twiml);
        assertThat(m.find()).as(twiml).isTrue();
        return m.group(1);
    }
}
