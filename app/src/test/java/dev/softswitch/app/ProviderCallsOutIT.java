package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.plivo.PlivoSignature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Calls placed through Telnyx, Plivo, Vonage and Exotel with {@code POST /v1/calls} on a running softswitch: the exact
 * REST request each provider's API (a local HTTP server) receives (method, path with the account, authentication,
 * content type, the webhook and media URLs derived from {@code providers.public_url}, the numbers), then one status
 * callback, as the provider would send it, followed into the call's state in {@code GET /v1/calls/{id}}. Twilio's is
 * in {@link TwilioProviderIT}.
 */
class ProviderCallsOutIT extends ProviderItBase {

    // ------------------------------------------------------------------ Telnyx: POST /v2/calls, Call Control

    @Test
    void telnyxCallIsPlacedThroughV2CallsStreamingToUsAndFollowedThroughItsWebhook() throws Exception {
        api.answer(200, "{\"data\":{\"call_control_id\":\"v3:out-telnyx-1\",\"record_type\":\"call\"}}");
        String id = place("{\"provider\":\"telnyx\",\"to\":\"+1 (415) 555-0100\",\"assistant\":\"echo\"}");

        FakeProviderApi.Request request = api.next(LIMIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/calls");
        assertThat(request.headers())
                .containsEntry("authorization", "Bearer KEY-telnyx")
                .containsEntry("content-type", "application/json")
                .containsEntry("accept", "application/json");
        JsonNode body = json.readTree(request.body());
        assertThat(fieldNames(body))
                .containsExactly(
                        "connection_id",
                        "to",
                        "from",
                        "stream_url",
                        "stream_track",
                        "stream_bidirectional_mode",
                        "stream_bidirectional_codec",
                        "stream_auth_token",
                        "webhook_url",
                        "timeout_secs",
                        "time_limit_secs");
        assertThat(body.path("connection_id").asText()).isEqualTo("1494404757140276705");
        assertThat(body.path("to").asText()).isEqualTo("+14155550100");
        assertThat(body.path("from").asText()).as("providers.telnyx.caller_id").isEqualTo("+18005550100");
        assertThat(body.path("stream_url").asText()).isEqualTo(media("telnyx"));
        assertThat(body.path("stream_track").asText()).isEqualTo("inbound_track");
        assertThat(body.path("stream_bidirectional_mode").asText()).isEqualTo("rtp");
        assertThat(body.path("stream_bidirectional_codec").asText()).isEqualTo("PCMU");
        assertThat(body.path("stream_auth_token").asText()).matches("[A-Za-z0-9_-]{16,}");
        assertThat(body.path("webhook_url").asText()).isEqualTo(base + "/providers/telnyx/status?call=" + id);
        assertThat(body.path("timeout_secs").asLong()).isEqualTo(30);
        assertThat(body.path("time_limit_secs").asLong()).isEqualTo(300);
        assertThat(api.pending()).as("one request per call").isEmpty();

        // The callee is busy: Telnyx's signed call.hangup (Ed25519 over timestamp|body) on the call's webhook_url.
        String event = """
                {"data":{"event_type":"call.hangup","id":"%s","occurred_at":"2024-01-01T00:00:00.000Z",\
                "payload":{"call_control_id":"v3:out-telnyx-1","connection_id":"1494404757140276705",\
                "from":"+18005550100","to":"+14155550100","direction":"outgoing","hangup_cause":"user_busy",\
                "hangup_source":"callee"},"record_type":"event"},"meta":{"attempt":1}}""".formatted(UUID.randomUUID());
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> callback =
                send(HttpRequest.newBuilder(URI.create(body.path("webhook_url").asText()))
                        .header("Content-Type", "application/json")
                        .header("telnyx-timestamp", Long.toString(now))
                        .header("telnyx-signature-ed25519", TELNYX.sign(now + "|" + event))
                        .POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(204);

        JsonNode call = awaitStatus(id, "ended");
        assertThat(call.path("outcome").asText()).isEqualTo("busy");
        assertThat(call.path("sip_status").asInt()).isEqualTo(486);
        assertThat(call.path("trunk").asText()).isEqualTo("telnyx");
    }

    // ------------------------------------------------------------------ Plivo: POST /v1/Account/{auth_id}/Call/

    @Test
    void plivoCallIsPlacedThroughCallWithOurAnswerUrlAndFollowedThroughItsRingUrl() throws Exception {
        api.answer(
                201,
                "{\"message\":\"call fired\",\"request_uuid\":\"9834029e-58b6-11e1-b8b7-a5bd0e4e126f\","
                        + "\"api_id\":\"97ceeb52-58b6-11e1-86da-77300b68f8bb\"}");
        String id = place("{\"provider\":\"plivo\",\"to\":\"+14155550100\",\"from\":\"+14155550199\","
                + "\"assistant\":\"echo\"}");

        FakeProviderApi.Request request = api.next(LIMIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/Account/MAXXXXXXXXXXXXXXXXXX/Call/");
        assertThat(request.headers())
                .containsEntry("authorization", basic("MAXXXXXXXXXXXXXXXXXX", PLIVO_TOKEN))
                .containsEntry("content-type", "application/json")
                .containsEntry("accept", "application/json");
        JsonNode body = json.readTree(request.body());
        assertThat(fieldNames(body))
                .containsExactly(
                        "from",
                        "to",
                        "answer_url",
                        "answer_method",
                        "hangup_url",
                        "hangup_method",
                        "ring_url",
                        "ring_method",
                        "ring_timeout",
                        "time_limit");
        assertThat(body.path("from").asText()).as("Plivo's numbers have no +").isEqualTo("14155550199");
        assertThat(body.path("to").asText()).isEqualTo("14155550100");
        assertThat(body.path("answer_url").asText())
                .startsWith(base + "/providers/plivo/incoming?call=" + id + "&token=")
                .matches(".*&token=[A-Za-z0-9_-]{16,}");
        assertThat(body.path("answer_method").asText()).isEqualTo("POST");
        String status = base + "/providers/plivo/status?call=" + id;
        assertThat(body.path("hangup_url").asText()).isEqualTo(status);
        assertThat(body.path("hangup_method").asText()).isEqualTo("POST");
        assertThat(body.path("ring_url").asText()).isEqualTo(status);
        assertThat(body.path("ring_method").asText()).isEqualTo("POST");
        assertThat(body.path("ring_timeout").asLong()).isEqualTo(30);
        assertThat(body.path("time_limit").asLong()).isEqualTo(300);
        assertThat(api.pending()).as("one request per call").isEmpty();

        // It rings: Plivo's ring_url request, signed V3 (the URL with its query, the sorted params, a nonce).
        Map<String, List<String>> ringing = new LinkedHashMap<>();
        ringing.put("CallUUID", List.of("aaaaaaaa-1111-2222-3333-444444444444"));
        ringing.put("From", List.of("14155550199"));
        ringing.put("To", List.of("14155550100"));
        ringing.put("Direction", List.of("outbound"));
        ringing.put("CallStatus", List.of("ringing"));
        String nonce = "31415926535897932384";
        String signature = PlivoSignature.compute(
                PLIVO_TOKEN, PlivoSignature.baseString("POST", URI.create(status), ringing), nonce);
        HttpResponse<String> callback = send(HttpRequest.newBuilder(URI.create(status))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Plivo-Signature-V3", signature)
                .header("X-Plivo-Signature-V3-Nonce", nonce)
                .POST(HttpRequest.BodyPublishers.ofString(form(ringing))));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(204);

        JsonNode call = awaitStatus(id, "ringing");
        assertThat(call.path("sip_status").asInt()).isEqualTo(180);
        assertThat(call.path("outcome").isNull()).as("not ended").isTrue();
        assertThat(call.path("trunk").asText()).isEqualTo("plivo");
    }

    // ------------------------------------------------------------------ Vonage: POST /v1/calls, RS256 JWT

    @Test
    void vonageCallIsPlacedThroughV1CallsUnderTheApplicationJwtAndFollowedThroughItsEventUrl() throws Exception {
        api.answer(
                201,
                "{\"uuid\":\"63f61863-4a51-4f6b-86e1-46edebcf9356\",\"status\":\"started\",\"direction\":\"outbound\","
                        + "\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\"}");
        long before = System.currentTimeMillis() / 1000;
        String id = place("{\"provider\":\"vonage\",\"to\":\"+447700900001\",\"from\":\"+447700900000\","
                + "\"assistant\":\"echo\"}");

        FakeProviderApi.Request request = api.next(LIMIT);
        long after = System.currentTimeMillis() / 1000;
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/calls");
        assertThat(request.headers())
                .containsEntry("content-type", "application/json")
                .containsEntry("accept", "application/json");
        String authorization = request.headers().get("authorization");
        assertThat(authorization).startsWith("Bearer ");
        String[] jwt = authorization.substring(7).split("\\.", -1);
        assertThat(jwt).hasSize(3);
        Base64.Decoder b64 = Base64.getUrlDecoder();
        assertThat(json.readTree(b64.decode(jwt[0])).path("alg").asText()).isEqualTo("RS256");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(VONAGE_KEY.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(b64.decode(jwt[2])))
                .as("signed with the application's private key")
                .isTrue();
        JsonNode claims = json.readTree(b64.decode(jwt[1]));
        assertThat(claims.path("application_id").asText()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
        assertThat(claims.path("iat").asLong()).isBetween(before, after);
        assertThat(UUID.fromString(claims.path("jti").asText()))
                .as("jti, a random UUID")
                .isNotNull();

        JsonNode body = json.readTree(request.body());
        assertThat(fieldNames(body))
                .containsExactly("to", "from", "ncco", "event_url", "ringing_timer", "length_timer");
        assertThat(body.path("to")).hasSize(1).first().satisfies(to -> {
            assertThat(to.path("type").asText()).isEqualTo("phone");
            assertThat(to.path("number").asText()).isEqualTo("447700900001");
        });
        assertThat(body.path("from").path("type").asText()).isEqualTo("phone");
        assertThat(body.path("from").path("number").asText()).isEqualTo("447700900000");
        String events = base + "/providers/vonage/status?call=" + id;
        assertThat(body.path("event_url")).hasSize(1);
        assertThat(body.path("event_url").get(0).asText()).isEqualTo(events);
        assertThat(body.path("ringing_timer").asLong()).isEqualTo(30);
        assertThat(body.path("length_timer").asLong()).isEqualTo(300);
        JsonNode ncco = body.path("ncco");
        assertThat(ncco).hasSize(1);
        assertThat(ncco.get(0).path("action").asText()).isEqualTo("connect");
        assertThat(ncco.get(0).path("eventUrl").get(0).asText()).isEqualTo(events);
        JsonNode endpoint = ncco.get(0).path("endpoint").get(0);
        assertThat(endpoint.path("type").asText()).isEqualTo("websocket");
        assertThat(endpoint.path("uri").asText()).isEqualTo(media("vonage"));
        assertThat(endpoint.path("content-type").asText()).isEqualTo("audio/l16;rate=16000");
        assertThat(endpoint.path("headers").path("token").asText()).matches("[A-Za-z0-9_-]{16,}");
        assertThat(api.pending()).as("one request per call").isEmpty();

        // Nobody answers: Vonage's event webhook, a signed HS256 JWT whose payload_hash is the body's.
        String event = "{\"from\":\"447700900000\",\"to\":\"447700900001\","
                + "\"uuid\":\"63f61863-4a51-4f6b-86e1-46edebcf9356\","
                + "\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\",\"status\":\"unanswered\","
                + "\"direction\":\"outbound\",\"timestamp\":\"2024-01-01T00:00:00.000Z\"}";
        HttpResponse<String> callback = send(HttpRequest.newBuilder(URI.create(events))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + vonageWebhookJwt(event))
                .POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(204);

        JsonNode call = awaitStatus(id, "ended");
        assertThat(call.path("outcome").asText()).isEqualTo("no_answer");
        assertThat(call.path("sip_status").asInt()).isEqualTo(480);
        assertThat(call.path("trunk").asText()).isEqualTo("vonage");
    }

    // ------------------------------------------------------------------ Exotel: POST /v1/accounts/{sid}/calls/connect

    @Test
    void exotelCallIsPlacedThroughCallsConnectStreamingToUsAndFollowedThroughItsStatusCallback() throws Exception {
        api.answer(
                200,
                "{\"call\":{\"sid\":\"b6cfaf0f8c4e2ba5a0d7d1a3b0c41234\",\"status\":\"in-progress\","
                        + "\"direction\":\"outbound-api\"}}");
        String id = place("{\"provider\":\"exotel\",\"to\":\"+919876543210\",\"from\":\"+918047491899\","
                + "\"assistant\":\"echo\"}");

        FakeProviderApi.Request request = api.next(LIMIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/accounts/acme1/calls/connect");
        assertThat(request.headers())
                .containsEntry("authorization", basic("KEY1", "TOKEN1"))
                .containsEntry("content-type", "application/x-www-form-urlencoded")
                .containsEntry("accept", "application/json");
        Map<String, List<String>> form = Forms.parse(request.body());
        assertThat(form.keySet())
                .containsExactly(
                        "from",
                        "callerid",
                        "streamurl",
                        "streamtype",
                        "statuscallback",
                        "statuscallbackevents[]",
                        "customfield");
        assertThat(form.get("from")).as("Exotel's from is the number called").containsExactly("+919876543210");
        assertThat(form.get("callerid")).as("the ExoPhone shown").containsExactly("+918047491899");
        assertThat(form.get("streamurl")).singleElement().satisfies(url -> assertThat(url)
                .matches(java.util.regex.Pattern.quote(media("exotel") + "?sample-rate=8000&token=")
                        + "[A-Za-z0-9_-]{16,}"));
        assertThat(form.get("streamtype")).containsExactly("bidirectional");
        String status = base + "/providers/exotel/status?call=" + id;
        assertThat(form.get("statuscallback")).containsExactly(status);
        assertThat(form.get("statuscallbackevents[]")).containsExactly("answered", "terminal");
        assertThat(form.get("customfield")).containsExactly(id);
        assertThat(api.pending()).as("one request per call").isEmpty();

        // Nobody answers: Exotel's terminal status callback. Exotel documents no signature; it is matched by our call
        // id in the statuscallback URL.
        Map<String, List<String>> terminal = new LinkedHashMap<>();
        terminal.put("CallSid", List.of("b6cfaf0f8c4e2ba5a0d7d1a3b0c41234"));
        terminal.put("EventType", List.of("terminal"));
        terminal.put("Status", List.of("no-answer"));
        terminal.put("From", List.of("+919876543210"));
        terminal.put("To", List.of("+918047491899"));
        terminal.put("DateUpdated", List.of("2024-01-01 12:00:00"));
        terminal.put("RecordingUrl", List.of(""));
        HttpResponse<String> callback = send(HttpRequest.newBuilder(URI.create(status))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(terminal))));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(204);

        JsonNode call = awaitStatus(id, "ended");
        assertThat(call.path("outcome").asText()).isEqualTo("no_answer");
        assertThat(call.path("sip_status").asInt()).isEqualTo(480);
        assertThat(call.path("trunk").asText()).isEqualTo("exotel");
    }

    // ------------------------------------------------------------------ helpers

    /** Places a call with {@code POST /v1/calls}; its id. */
    private String place(String request) throws Exception {
        HttpResponse<String> placed = post("/v1/calls", request);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String id = json.readTree(placed.body()).path("id").asText();
        assertThat(id).isNotEmpty();
        return id;
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        await().atMost(LIMIT).until(() -> call(id).path("status").asText().equals(status));
        return call(id);
    }

    private String media(String provider) {
        return "ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/" + provider + "/media";
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(Map<String, List<String>> params) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return Forms.encode(pairs);
    }

    /** Vonage's signed-webhook JWT for {@code body}: HS256 with the signature secret, {@code payload_hash} its hash. */
    private static String vonageWebhookJwt(String body) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iat\":" + System.currentTimeMillis() / 1000 + ",\"jti\":\""
                        + UUID.randomUUID() + "\",\"iss\":\"Vonage\",\"payload_hash\":\"" + hash
                        + "\",\"api_key\":\"a1b2c3d\",\"application_id\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}")
                .getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(VONAGE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + claims + "."
                + b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
    }
}
