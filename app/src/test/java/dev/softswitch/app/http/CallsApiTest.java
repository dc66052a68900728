package dev.softswitch.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.app.dial.DialPlan;
import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import dev.softswitch.sip.DialRequest;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.DialStatus.Outcome;
import dev.softswitch.sip.DialStatus.Phase;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CallsApi} request by request, with a placer that records what it was asked and a clock the test moves. */
class CallsApiTest {

    static final String KEY = "k3y-0f-the-0ps-team-123";
    static final String CALLS = "/v1/calls";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A placed call whose status the test sets, as the call's thread would. */
    static final class FakeCall implements PlacedCall {
        final String id;
        final Consumer<DialStatus> progress;
        final DialRequest request;
        volatile DialStatus status;
        int hangUps;

        FakeCall(String id, DialRequest request, Consumer<DialStatus> progress, Instant now) {
            this.id = id;
            this.request = request;
            this.progress = progress;
            this.status = new DialStatus(id, Phase.TRYING, null, 0, "dialling", now, null, null);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public DialStatus status() {
            return status;
        }

        @Override
        public void hangUp() {
            hangUps++;
        }

        void report(
                Phase phase, @Nullable Outcome outcome, int sip, @Nullable Instant answered, @Nullable Instant ended) {
            status = new DialStatus(id, phase, outcome, sip, phase.label(), status.started(), answered, ended);
            progress.accept(status);
        }
    }

    final TestClock clock = new TestClock();
    final List<FakeCall> placed = new ArrayList<>();
    final InMemoryCallContextStore contexts = new InMemoryCallContextStore(clock);

    @Nullable
    RuntimeException placeFails;

    CallsApi api(String yaml) throws Exception {
        LoadedConfig loaded = ConfigLoader.parse(
                yaml, Path.of("softswitch.yaml"), SecretResolver.withEnvironment(Map.of("API_KEY", KEY)));
        return new CallsApi(
                (request, progress) -> {
                    if (placeFails != null) {
                        throw placeFails;
                    }
                    FakeCall call = new FakeCall("c" + (placed.size() + 1), request, progress, clock.instant());
                    placed.add(call);
                    return call;
                },
                new DialPlan(
                        loaded.config(), id -> loaded.config().assistant(id).isPresent()),
                loaded.config().api(),
                contexts,
                clock);
    }

    CallsApi api() throws Exception {
        return api("""
                assistants:
                  - { id: support, kind: echo }
                trunks:
                  - name: carrier
                    outbound: { host: 192.0.2.10, caller_id: "+15550001111" }
                api:
                  keys:
                    - { name: ops, key: "${env:API_KEY}" }
                """);
    }

    record Answer(int status, JsonNode body, Map<String, String> headers) {
        String error() {
            return body.path("error").asText();
        }

        @Nullable
        String field() {
            return body.has("field") ? body.get("field").asText() : null;
        }
    }

    static Answer send(
            CallsApi api, HttpMethod method, String path, @Nullable String auth, @Nullable String type, String body)
            throws Exception {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, method, path, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (auth != null) {
            request.headers().set("Authorization", auth);
        }
        if (type != null) {
            request.headers().set("Content-Type", type);
        }
        FullHttpResponse response = api.handle(request, path.split("\\?", 2)[0], null);
        try {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            String text = response.content().toString(StandardCharsets.UTF_8);
            assertThat(headers.get("Content-Type")).isEqualTo("application/json");
            assertThat(text).endsWith("\n");
            return new Answer(response.status().code(), JSON.readTree(text), headers);
        } finally {
            response.release();
            request.release();
        }
    }

    static Answer post(CallsApi api, String body) throws Exception {
        return send(api, HttpMethod.POST, CALLS, "Bearer " + KEY, "application/json", body);
    }

    static Answer get(CallsApi api, String path) throws Exception {
        return send(api, HttpMethod.GET, path, "Bearer " + KEY, null, "");
    }

    static Answer delete(CallsApi api, String path) throws Exception {
        return send(api, HttpMethod.DELETE, path, "Bearer " + KEY, null, "");
    }

    // ------------------------------------------------------------------ 202: placing

    @Test
    void aCallIsAcceptedAtOnceWithItsIdAndLocation() throws Exception {
        CallsApi api = api();
        Answer a = post(api, """
                {"to": "+1 555 123-0000", "trunk": "carrier", "assistant": "support",
                 "variables": {"name": "Ada", "order": "42"}, "from": "sales",
                 "ring_timeout": 20, "max_duration": "2m"}""");

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.body().path("id").asText()).isEqualTo("c1");
        assertThat(a.body().path("status").asText()).isEqualTo("trying");
        assertThat(a.body().path("url").asText()).isEqualTo("/v1/calls/c1");
        assertThat(a.headers()).containsEntry("Location", "/v1/calls/c1");
        DialRequest r = placed.get(0).request;
        assertThat(r.requestUri()).isEqualTo("sip:+15551230000@192.0.2.10");
        assertThat(r.trunk()).isEqualTo("carrier");
        assertThat(r.fromUser()).isEqualTo("sales");
        assertThat(r.assistantId()).isEqualTo("support");
        assertThat(r.variables()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "Ada", "order", "42"));
        assertThat(r.ringTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(r.maxDuration()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void withoutOptionalFieldsTheDialDefaultsApply() throws Exception {
        CallsApi api = api();
        Answer a = post(api, "{\"to\": \"sip:alice@127.0.0.1:5090\", \"assistant\": \"support\"}");

        assertThat(a.status()).isEqualTo(202);
        DialRequest r = placed.get(0).request;
        assertThat(r.requestUri()).isEqualTo("sip:alice@127.0.0.1:5090");
        assertThat(r.trunk()).isNull();
        assertThat(r.fromUser()).isEqualTo(DialPlan.DEFAULT_FROM);
        assertThat(r.ringTimeout()).isEqualTo(DialPlan.DEFAULT_RING_TIMEOUT);
        assertThat(r.maxDuration()).isEqualTo(DialPlan.DEFAULT_MAX_DURATION);
    }

    @Test
    void theContextIsStoredAtTheFirstReportAndClaimedOnceAtTheAnswer() throws Exception {
        CallsApi api = api();
        post(api, """
                {"to": "+15551230000", "trunk": "carrier", "assistant": "support", "variables": {"name": "Ada"}}""");
        FakeCall call = placed.get(0);
        assertThat(contexts.size()).as("nothing stored before the call reports").isZero();

        call.report(Phase.TRYING, null, 0, null, null);
        assertThat(contexts.size()).isEqualTo(1);
        call.report(Phase.RINGING, null, 180, null, null);
        call.report(Phase.ANSWERED, null, 200, clock.instant(), null);
        assertThat(contexts.size()).as("claimed at the answer").isZero();

        // what was claimed: put it back to look at it, as a bridge would have received it
        post(api, """
                {"to": "+15551230001", "trunk": "carrier", "assistant": "support", "variables": {"name": "Bob"}}""");
        placed.get(1).report(Phase.TRYING, null, 0, null, null);
        Optional<CallContext> ctx = contexts.claim("c2");
        assertThat(ctx).isPresent();
        assertThat(ctx.get().assistantId()).isEqualTo("support");
        assertThat(ctx.get().variables()).containsEntry("name", "Bob");
        assertThat(ctx.get().to()).isEqualTo("+15551230001");
        assertThat(ctx.get().trunk()).isEqualTo("carrier");
    }

    @Test
    void anUnansweredCallDropsItsContext() throws Exception {
        CallsApi api = api();
        post(api, "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"support\"}");
        FakeCall call = placed.get(0);
        call.report(Phase.TRYING, null, 0, null, null);
        call.report(Phase.ENDED, Outcome.BUSY, 486, null, clock.instant());
        assertThat(contexts.size()).isZero();
    }

    @Test
    void noCallsWhileShuttingDown() throws Exception {
        CallsApi api = api();
        placeFails = new IllegalStateException("shutting down: no new calls");
        Answer a = post(api, "{\"to\": \"sip:alice@127.0.0.1\", \"assistant\": \"support\"}");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.error()).contains("shutting down");
    }

    // ------------------------------------------------------------------ 400: naming the field

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"assistant\": \"support\"}                                                   | to        | required",
                "{\"to\": \"  \", \"assistant\": \"support\"}                                   | to        | required",
                "{\"to\": 15551230000, \"trunk\": \"carrier\", \"assistant\": \"support\"}      | to        | must be a string",
                "{\"to\": \"+15551230000\", \"assistant\": \"support\"}                         | to        | needs a trunk",
                "{\"to\": \"call me\", \"trunk\": \"carrier\", \"assistant\": \"support\"}      | to        | not a number",
                "{\"to\": \"sip:@@\", \"assistant\": \"support\"}                               | to        | not a SIP URI",
                "{\"to\": \"+15551230000\", \"trunk\": \"nope\", \"assistant\": \"support\"}    | trunk     | no trunk 'nope'; configured: carrier",
                "{\"to\": \"+15551230000\", \"trunk\": 7, \"assistant\": \"support\"}           | trunk     | must be a string",
                "{\"to\": \"+15551230000\", \"trunk\": \"carrier\"}                             | assistant | required",
                "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"sales\"}   | assistant | no assistant 'sales'",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"from\": \"a b\"}   | from      | not a SIP user part",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"variables\": []}   | variables | must be an object",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"variables\": {\"n\": 1}} | variables | the value of 'n' must be a string",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"ring_timeout\": \"soon\"} | ring_timeout | a duration",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"ring_timeout\": 0}  | ring_timeout | more than 0",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"ring_timeout\": \"11m\"} | ring_timeout | at most 10 minutes",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"max_duration\": true} | max_duration | a duration",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"max_duration\": \"25h\"} | max_duration | up to 24 hours",
                "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\", \"provider\": \"twilio\"} | provider | no provider 'twilio' is configured (add it under providers: in the configuration)",
            })
    void badInputIs400NamingTheField(String body, String field, String message) throws Exception {
        CallsApi api = api();
        Answer a = post(api, body);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.field()).isEqualTo(field);
        assertThat(a.error()).contains(message);
        assertThat(placed).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json         | not JSON",
                "''               | must be a JSON object",
                "[1, 2]           | must be a JSON object",
                "'{\"to\": \"a\", \"to\": \"b\"}' | not JSON",
                "'{\"to\": \"a\"} {}' | not JSON",
            })
    void aBodyThatIsNoJsonObjectIs400(String body, String message) throws Exception {
        Answer a = post(api(), body);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).contains(message);
        assertThat(a.field()).isNull();
    }

    // ------------------------------------------------------------------ 415

    @Test
    void aBodyThatIsNotDeclaredJsonIs415() throws Exception {
        CallsApi api = api();
        String body = "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\"}";
        Answer form = send(api, HttpMethod.POST, CALLS, "Bearer " + KEY, "application/x-www-form-urlencoded", body);
        Answer none = send(api, HttpMethod.POST, CALLS, "Bearer " + KEY, null, body);
        Answer charset = send(api, HttpMethod.POST, CALLS, "Bearer " + KEY, "Application/JSON; charset=utf-8", body);

        assertThat(form.status()).isEqualTo(415);
        assertThat(form.error()).contains("Content-Type: application/json");
        assertThat(none.status()).isEqualTo(415);
        assertThat(charset.status()).isEqualTo(202);
    }

    // ------------------------------------------------------------------ 401, 403

    @Test
    void withoutAKeyTheAnswerIs401WithABearerChallenge() throws Exception {
        CallsApi api = api();
        Answer missing = send(api, HttpMethod.GET, CALLS, null, null, "");
        Answer basic = send(api, HttpMethod.GET, CALLS, "Basic b3BzOnNlY3JldA==", null, "");
        Answer wrong = send(api, HttpMethod.POST, CALLS, "Bearer not-the-key-0123456789", "application/json", "{}");
        Answer empty = send(api, HttpMethod.GET, CALLS, "Bearer ", null, "");

        for (Answer a : List.of(missing, basic, wrong, empty)) {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"softswitch\"");
            assertThat(a.body()).isEqualTo(missing.body());
            assertThat(a.body().toString()).doesNotContain("not-the-key").doesNotContain(KEY);
        }
        assertThat(placed).isEmpty();
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        Answer a = send(api(), HttpMethod.GET, CALLS, "bearer " + KEY, null, "");
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void withoutConfiguredKeysTheApiIs403() throws Exception {
        CallsApi api = api("""
                assistants:
                  - { id: support, kind: echo }
                """);
        for (Answer a : List.of(
                send(api, HttpMethod.GET, CALLS, "Bearer " + KEY, null, ""),
                post(api, "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\"}"),
                send(api, HttpMethod.GET, "/v1/other", null, null, ""))) {
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.error()).isEqualTo("no API keys configured: add api.keys to the configuration");
        }
        assertThat(placed).isEmpty();
    }

    // ------------------------------------------------------------------ 200, 404

    @Test
    void theStateOfACallFollowsItToItsEnd() throws Exception {
        CallsApi api = api();
        post(api, "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"support\"}");
        FakeCall call = placed.get(0);
        Instant started = clock.instant();

        Answer trying = get(api, "/v1/calls/c1");
        assertThat(trying.status()).isEqualTo(200);
        assertThat(trying.body().path("id").asText()).isEqualTo("c1");
        assertThat(trying.body().path("to").asText()).isEqualTo("+15551230000");
        assertThat(trying.body().path("trunk").asText()).isEqualTo("carrier");
        assertThat(trying.body().path("assistant").asText()).isEqualTo("support");
        assertThat(trying.body().path("status").asText()).isEqualTo("trying");
        assertThat(trying.body().get("outcome").isNull()).isTrue();
        assertThat(trying.body().get("sip_status").isNull()).isTrue();
        assertThat(trying.body().path("started").asText()).isEqualTo(started.toString());
        assertThat(trying.body().get("answered").isNull()).isTrue();
        assertThat(trying.body().get("ended").isNull()).isTrue();
        assertThat(trying.body().path("duration_s").asDouble()).isZero();

        call.report(Phase.RINGING, null, 180, null, null);
        assertThat(get(api, "/v1/calls/c1").body().path("status").asText()).isEqualTo("ringing");
        call.report(Phase.EARLY_MEDIA, null, 183, null, null);
        assertThat(get(api, "/v1/calls/c1").body().path("status").asText()).isEqualTo("early media");

        Instant answered = clock.advance(Duration.ofSeconds(3));
        call.report(Phase.ANSWERED, null, 200, answered, null);
        clock.advance(Duration.ofMillis(12_500));
        Answer talking = get(api, "/v1/calls/c1");
        assertThat(talking.body().path("status").asText()).isEqualTo("answered");
        assertThat(talking.body().path("sip_status").asInt()).isEqualTo(200);
        assertThat(talking.body().path("answered").asText()).isEqualTo(answered.toString());
        assertThat(talking.body().path("duration_s").asDouble()).isEqualTo(12.5);

        Answer listed = get(api, CALLS);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().path("calls")).hasSize(1);
        assertThat(listed.body().path("calls").get(0).path("id").asText()).isEqualTo("c1");

        Instant ended = clock.advance(Duration.ofSeconds(1));
        call.report(Phase.ENDED, Outcome.ANSWERED, 200, answered, ended);
        Answer over = get(api, "/v1/calls/c1");
        assertThat(over.body().path("status").asText()).isEqualTo("ended");
        assertThat(over.body().path("outcome").asText()).isEqualTo("answered");
        assertThat(over.body().path("ended").asText()).isEqualTo(ended.toString());
        assertThat(over.body().path("duration_s").asDouble()).isEqualTo(13.5);
        assertThat(get(api, CALLS).body().path("calls")).isEmpty();
    }

    @Test
    void aBusyCallEndsWithItsOutcomeAndStatusAndStaysVisibleForAnHour() throws Exception {
        CallsApi api = api();
        post(api, "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"support\"}");
        placed.get(0).report(Phase.ENDED, Outcome.BUSY, 486, null, clock.instant());

        clock.advance(Duration.ofMinutes(59));
        Answer busy = get(api, "/v1/calls/c1");
        assertThat(busy.status()).isEqualTo(200);
        assertThat(busy.body().path("outcome").asText()).isEqualTo("busy");
        assertThat(busy.body().path("sip_status").asInt()).isEqualTo(486);

        clock.advance(Duration.ofMinutes(2));
        assertThat(get(api, "/v1/calls/c1").status()).isEqualTo(404);
    }

    @Test
    void unknownCallsAndPathsAre404() throws Exception {
        CallsApi api = api();
        Answer call = get(api, "/v1/calls/0123456789ab");
        assertThat(call.status()).isEqualTo(404);
        assertThat(call.error()).contains("no call 0123456789ab");
        assertThat(delete(api, "/v1/calls/0123456789ab").status()).isEqualTo(404);
        assertThat(get(api, "/v1/things").status()).isEqualTo(404);
        assertThat(get(api, "/v1/calls/c1/more").status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ 405

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        CallsApi api = api();
        post(api, "{\"to\": \"sip:a@127.0.0.1\", \"assistant\": \"support\"}");

        Answer put = send(api, HttpMethod.PUT, CALLS, "Bearer " + KEY, "application/json", "{}");
        Answer deleteAll = delete(api, CALLS);
        Answer postOne = send(api, HttpMethod.POST, "/v1/calls/c1", "Bearer " + KEY, "application/json", "{}");
        Answer patch = send(api, HttpMethod.PATCH, "/v1/calls/nope", "Bearer " + KEY, "application/json", "{}");

        assertThat(put.status()).isEqualTo(405);
        assertThat(put.headers()).containsEntry("Allow", "GET, POST");
        assertThat(deleteAll.status()).isEqualTo(405);
        assertThat(postOne.status()).isEqualTo(405);
        assertThat(postOne.headers()).containsEntry("Allow", "GET, DELETE");
        assertThat(patch.status()).isEqualTo(405);
    }

    // ------------------------------------------------------------------ DELETE: 202, 409

    @Test
    void deleteHangsUpACallInProgressAndRefusesAnEndedOne() throws Exception {
        CallsApi api = api();
        post(api, "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"support\"}");
        FakeCall call = placed.get(0);
        call.report(Phase.RINGING, null, 180, null, null);

        Answer hungUp = delete(api, "/v1/calls/c1");
        assertThat(hungUp.status()).isEqualTo(202);
        assertThat(hungUp.body().path("id").asText()).isEqualTo("c1");
        assertThat(hungUp.body().path("status").asText()).isEqualTo("ringing");
        assertThat(call.hangUps).isEqualTo(1);

        call.report(Phase.ENDED, Outcome.CANCELLED, 487, null, clock.instant());
        Answer again = delete(api, "/v1/calls/c1");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("call c1 has already ended (cancelled)");
        assertThat(call.hangUps).isEqualTo(1);
    }

    @Test
    void aTrailingSlashAndAQueryDoNotMatter() throws Exception {
        CallsApi api = api();
        assertThat(get(api, "/v1/calls/").status()).isEqualTo(200);
        assertThat(get(api, "/v1/calls?active=1").status()).isEqualTo(200);
    }
}
