package dev.softswitch.bridge.assistant.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.RecordingActions;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Pcm;
import dev.softswitch.codecs.ToneGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message of the GA Realtime interface against shared/reference/providers.md 7.1, and the barge-in recipe. */
class RealtimeDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CallFacts PCMU_CALL =
            new CallFacts("c-1", "sip:+15550001@carrier", "sip:bot@ss", "sales", "PCMU", 8000);
    private static final CallFacts PCMA_CALL =
            new CallFacts("c-2", "sip:+15550001@carrier", "sip:bot@ss", "sales", "PCMA", 8000);
    private static final CallFacts G722_CALL =
            new CallFacts("c-3", "sip:+15550001@carrier", "sip:bot@ss", "sales", "G722", 24000);

    private final RecordingActions actions = new RecordingActions();

    private static RealtimeDialect dialect(CallFacts call) {
        RealtimeDialect dialect =
                new RealtimeDialect(call.codecRate(), "gpt-realtime", "marin", "You are a phone agent.");
        dialect.start(call, null);
        return dialect;
    }

    private static JsonNode parse(Object message) throws Exception {
        assertThat(message).isInstanceOf(String.class);
        return JSON.readTree((String) message);
    }

    private static String audioDelta(String type, String itemId, byte[] audio) {
        return "{\"type\":\"" + type + "\",\"event_id\":\"event_1\",\"response_id\":\"resp_1\",\"item_id\":\"" + itemId
                + "\",\"output_index\":0,\"content_index\":0,\"delta\":\""
                + Base64.getEncoder().encodeToString(audio)
                + "\"}";
    }

    private static String delta(String itemId, byte[] audio) {
        return audioDelta("response.output_audio.delta", itemId, audio);
    }

    private static byte[] ulawTone(int millis) {
        short[] pcm = new ToneGenerator(440, 8000, 0.5).next(millis * 8);
        byte[] ulaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, ulaw, 0, pcm.length);
        return ulaw;
    }

    private static short[] concat(List<short[]> parts) {
        short[] out = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Test
    void g711CallsStayAt8kHzAndEverythingElseRunsAt24kHz() {
        assertThat(new RealtimeDialect(8000, "gpt-realtime", "marin", null).sampleRate())
                .isEqualTo(8000);
        assertThat(new RealtimeDialect(16000, "gpt-realtime", "marin", null).sampleRate())
                .isEqualTo(24000);
        assertThat(new RealtimeDialect(48000, "gpt-realtime", "marin", null).sampleRate())
                .isEqualTo(24000);
        assertThatThrownBy(() -> new RealtimeDialect(8000, " ", "marin", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionUpdateForAPcmuCallIsTheGaShapeWithMuLawBothWays() throws Exception {
        List<Object> opening =
                new RealtimeDialect(8000, "gpt-realtime", "marin", "You are a phone agent.").start(PCMU_CALL, null);
        assertThat(opening).hasSize(1);
        assertThat(parse(opening.get(0))).isEqualTo(JSON.readTree("""
                { "type": "session.update",
                  "session": { "type": "realtime", "model": "gpt-realtime", "output_modalities": ["audio"],
                               "instructions": "You are a phone agent.",
                               "audio": { "input":  { "format": { "type": "audio/pcmu" },
                                                      "turn_detection": { "type": "server_vad", "threshold": 0.5,
                                                                          "prefix_padding_ms": 300,
                                                                          "silence_duration_ms": 500,
                                                                          "create_response": true,
                                                                          "interrupt_response": true },
                                                      "noise_reduction": { "type": "near_field" } },
                                          "output": { "format": { "type": "audio/pcmu" }, "voice": "marin",
                                                      "speed": 1.0 } } } }
                """));
    }

    @Test
    void sessionUpdateForAPcmaCallUsesALawBothWays() throws Exception {
        JsonNode update = parse(new RealtimeDialect(8000, "gpt-realtime-mini", "alloy", null)
                .start(PCMA_CALL, null)
                .get(0));
        assertThat(update).isEqualTo(JSON.readTree("""
                { "type": "session.update",
                  "session": { "type": "realtime", "model": "gpt-realtime-mini", "output_modalities": ["audio"],
                               "audio": { "input":  { "format": { "type": "audio/pcma" },
                                                      "turn_detection": { "type": "server_vad", "threshold": 0.5,
                                                                          "prefix_padding_ms": 300,
                                                                          "silence_duration_ms": 500,
                                                                          "create_response": true,
                                                                          "interrupt_response": true },
                                                      "noise_reduction": { "type": "near_field" } },
                                          "output": { "format": { "type": "audio/pcma" }, "voice": "alloy",
                                                      "speed": 1.0 } } } }
                """));
    }

    @Test
    void sessionUpdateForAG722CallUses24kHzPcmAndNoBetaFields() throws Exception {
        JsonNode update = parse(new RealtimeDialect(16000, "gpt-realtime", "marin", "Be brief.")
                .start(G722_CALL, null)
                .get(0));
        assertThat(update).isEqualTo(JSON.readTree("""
                { "type": "session.update",
                  "session": { "type": "realtime", "model": "gpt-realtime", "output_modalities": ["audio"],
                               "instructions": "Be brief.",
                               "audio": { "input":  { "format": { "type": "audio/pcm", "rate": 24000 },
                                                      "turn_detection": { "type": "server_vad", "threshold": 0.5,
                                                                          "prefix_padding_ms": 300,
                                                                          "silence_duration_ms": 500,
                                                                          "create_response": true,
                                                                          "interrupt_response": true },
                                                      "noise_reduction": { "type": "near_field" } },
                                          "output": { "format": { "type": "audio/pcm", "rate": 24000 },
                                                      "voice": "marin", "speed": 1.0 } } } }
                """));
        JsonNode session = update.get("session");
        for (String beta :
                List.of("modalities", "input_audio_format", "output_audio_format", "voice", "turn_detection")) {
            assertThat(session.has(beta)).as(beta).isFalse();
        }
    }

    @Test
    void aGreetingAsksForAResponseThatSaysExactlyIt() throws Exception {
        List<Object> opening = new RealtimeDialect(8000, "gpt-realtime", "marin", null)
                .start(PCMU_CALL, "Thanks for calling Acme, how can I help?");
        assertThat(opening).hasSize(2);
        assertThat(parse(opening.get(0)).get("type").asText()).isEqualTo("session.update");
        assertThat(parse(opening.get(1))).isEqualTo(JSON.readTree("""
                { "type": "response.create",
                  "response": { "instructions": "Greet the caller by saying exactly the following, and nothing else: \
                Thanks for calling Acme, how can I help?" } }
                """));
    }

    @Test
    void appendCarriesTheFrameInTheSessionInputFormat() throws Exception {
        short[] frame8k = new ToneGenerator(1000, 8000, 0.5).next(160);
        short[] frame24k = new ToneGenerator(1000, 24000, 0.5).next(480);
        byte[] ulaw = new byte[160];
        G711.encodeUlaw(frame8k, 0, ulaw, 0, 160);
        byte[] alaw = new byte[160];
        G711.encodeAlaw(frame8k, 0, alaw, 0, 160);

        JsonNode mu = parse(dialect(PCMU_CALL).media(frame8k));
        JsonNode a = parse(dialect(PCMA_CALL).media(frame8k));
        JsonNode pcm = parse(dialect(G722_CALL).media(frame24k));

        assertThat(mu.fieldNames()).toIterable().containsExactly("type", "audio");
        assertThat(mu.get("type").asText()).isEqualTo("input_audio_buffer.append");
        assertThat(Base64.getDecoder().decode(mu.get("audio").asText())).isEqualTo(ulaw);
        assertThat(Base64.getDecoder().decode(a.get("audio").asText())).isEqualTo(alaw);
        assertThat(Base64.getDecoder().decode(pcm.get("audio").asText())).isEqualTo(Pcm.toLittleEndian(frame24k));
        assertThat(Base64.getDecoder().decode(pcm.get("audio").asText())).hasSize(960);
    }

    @Test
    void keysAndTextsBecomeUserMessagesWithoutAResponseCreate() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        assertThat(parse(dialect.dtmf(new DtmfEvent('5', 100, DtmfEvent.Method.RFC4733))))
                .isEqualTo(JSON.readTree("""
                        { "type": "conversation.item.create",
                          "item": { "type": "message", "role": "user",
                                    "content": [ { "type": "input_text", "text": "The caller pressed the key 5." } ] } }
                        """));
        assertThat(parse(dialect.text("Call me back at 5pm"))).isEqualTo(JSON.readTree("""
                        { "type": "conversation.item.create",
                          "item": { "type": "message", "role": "user",
                                    "content": [ { "type": "input_text", "text": "Call me back at 5pm" } ] } }
                        """));
    }

    @Test
    void idleAsksTheModelForAResponseCheckingTheCallerIsStillThere() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        assertThat(parse(dialect.idle(30_000))).isEqualTo(JSON.readTree("""
                { "type": "response.create",
                  "response": { "instructions": "The caller has been silent for 30 seconds. \
                Ask them briefly whether they are still there." } }
                """));
        assertThat(parse(dialect.idle(600)).get("response").get("instructions").asText())
                .startsWith("The caller has been silent for 1 second.");
    }

    @Test
    void stopAndMarksSayNothingToOpenAi() {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        assertThat(dialect.stop("call ended")).isNull();
        assertThat(dialect.markReached("oai|item_1|20", true)).isNull();
        assertThat(dialect.markReached("someone else's", true)).isNull();
    }

    @Test
    void eachDeltaIsPlayedDecodedAndMarkedWithTheItemsMillisecondsSoFar() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        byte[] first = ulawTone(20);
        byte[] second = ulawTone(40);

        dialect.onText(delta("item_1", first), actions);
        dialect.onText(delta("item_1", second), actions);

        assertThat(actions.log).containsExactly("play 160", "mark oai|item_1|20", "play 320", "mark oai|item_1|60");
        short[] expected = new short[160];
        G711.decodeUlaw(first, 0, expected, 0, 160);
        assertThat(actions.audio.get(0)).isEqualTo(expected);
    }

    @Test
    void aPcmaCallDecodesALaw() throws Exception {
        RealtimeDialect dialect = dialect(PCMA_CALL);
        short[] pcm = new ToneGenerator(440, 8000, 0.5).next(160);
        byte[] alaw = new byte[160];
        G711.encodeAlaw(pcm, 0, alaw, 0, 160);
        dialect.onText(delta("item_1", alaw), actions);
        short[] expected = new short[160];
        G711.decodeAlaw(alaw, 0, expected, 0, 160);
        assertThat(actions.audio).singleElement().isEqualTo(expected);
    }

    @Test
    void deltasOfAnyLengthArePlayedInWholeFramesWithoutGapsAndTheTailAtDone() throws Exception {
        RealtimeDialect dialect = dialect(G722_CALL);
        short[] tone = new ToneGenerator(440, 24000, 0.5).next(1000);

        dialect.onText(delta("item_1", Pcm.toLittleEndian(Arrays.copyOfRange(tone, 0, 500))), actions);
        dialect.onText(delta("item_1", Pcm.toLittleEndian(Arrays.copyOfRange(tone, 500, 1000))), actions);
        dialect.onText("{\"type\":\"response.output_audio.done\",\"item_id\":\"item_1\"}", actions);

        // 24 kHz: a 20 ms frame is 480 samples; 1000 samples are 41.67 ms, marked as 41 (rounded down).
        assertThat(actions.log)
                .containsExactly(
                        "play 480",
                        "mark oai|item_1|20",
                        "play 480",
                        "mark oai|item_1|40",
                        "play 40",
                        "mark oai|item_1|41");
        assertThat(concat(actions.audio)).isEqualTo(tone);
    }

    @Test
    void aNewItemFlushesThePreviousItemsTail() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        dialect.onText(delta("item_1", new byte[200]), actions);
        dialect.onText(delta("item_2", new byte[160]), actions);
        assertThat(actions.log)
                .containsExactly(
                        "play 160",
                        "mark oai|item_1|20",
                        "play 40",
                        "mark oai|item_1|25",
                        "play 160",
                        "mark oai|item_2|20");
    }

    @Test
    void betaAudioDeltasAreAcceptedToo() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        dialect.onText(audioDelta("response.audio.delta", "item_b", ulawTone(20)), actions);
        assertThat(actions.log).containsExactly("play 160", "mark oai|item_b|20");
    }

    @Test
    void bargeInClearsAndTruncatesToWhatTheCallerHeard() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        for (int i = 0; i < 5; i++) {
            dialect.onText(delta("item_a", ulawTone(200)), actions);
        }
        assertThat(actions.log).contains("mark oai|item_a|1000");
        dialect.markReached("oai|item_a|200", true);
        dialect.markReached("oai|item_a|400", true);
        dialect.markReached("oai|item_a|600", false); // dropped, not heard
        actions.log.clear();

        dialect.onText(
                "{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":1500,\"item_id\":\"u1\"}", actions);

        assertThat(actions.log).hasSize(2);
        assertThat(actions.log.get(0)).isEqualTo("clear");
        assertThat(actions.log.get(1)).startsWith("reply ");
        assertThat(JSON.readTree(actions.log.get(1).substring("reply ".length())))
                .isEqualTo(JSON.readTree("""
                        { "type": "conversation.item.truncate", "item_id": "item_a", "content_index": 0,
                          "audio_end_ms": 400 }
                        """));

        actions.log.clear();
        dialect.onText("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":2500}", actions);
        assertThat(actions.log).isEmpty();

        // What was in flight for the interrupted item is not played; the next answer is.
        dialect.onText(delta("item_a", ulawTone(20)), actions);
        assertThat(actions.log).isEmpty();
        dialect.onText(delta("item_c", ulawTone(20)), actions);
        assertThat(actions.log).containsExactly("play 160", "mark oai|item_c|20");
    }

    @Test
    void speechWhenEverythingWasHeardNeedsNoTruncate() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        dialect.onText(delta("item_a", ulawTone(100)), actions);
        dialect.markReached("oai|item_a|100", true);
        actions.log.clear();
        dialect.onText("{\"type\":\"input_audio_buffer.speech_started\"}", actions);
        assertThat(actions.log).isEmpty();
    }

    @Test
    void truncateNeverExceedsTheAudioSent() throws Exception {
        RealtimeDialect dialect = dialect(G722_CALL);
        // 7300 samples at 24 kHz: 300 ms in whole frames are queued, a 100-sample tail waits.
        dialect.onText(delta("item_x", Pcm.toLittleEndian(new short[7300])), actions);
        dialect.markReached("oai|item_x|5000", true); // more than was ever sent
        actions.log.clear();

        dialect.onText("{\"type\":\"input_audio_buffer.speech_started\"}", actions);

        assertThat(actions.log).hasSize(2);
        JsonNode truncate = JSON.readTree(actions.log.get(1).substring("reply ".length()));
        assertThat(truncate.get("audio_end_ms").asLong()).isEqualTo(300);
    }

    @Test
    void errorsAndOtherEventsChangeNothing() throws Exception {
        RealtimeDialect dialect = dialect(PCMU_CALL);
        for (String event : List.of(
                "{\"type\":\"session.created\",\"session\":{}}",
                "{\"type\":\"session.updated\",\"session\":{}}",
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":\"Hel\"}",
                "{\"type\":\"response.done\",\"response\":{\"status\":\"completed\"}}",
                "{\"type\":\"something.new\"}",
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_value\","
                        + "\"message\":\"Invalid value\",\"param\":null,\"event_id\":\"e1\"}}")) {
            dialect.onText(event, actions);
        }
        assertThat(actions.log).isEmpty();
    }

    @Test
    void badInputIsAProtocolError() {
        RealtimeDialect dialect = dialect(G722_CALL);
        assertThatThrownBy(() -> dialect.onText("not json", actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1007));
        assertThatThrownBy(() -> dialect.onText("[1,2]", actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1007));
        assertThatThrownBy(() -> dialect.onText("{\"event\":\"x\"}", actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1008));
        assertThatThrownBy(() -> dialect.onText(
                        "{\"type\":\"response.output_audio.delta\",\"item_id\":\"i\",\"delta\":\"%%%\"}", actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1007));
        assertThatThrownBy(
                        () -> dialect.onText("{\"type\":\"response.output_audio.delta\",\"delta\":\"AAAA\"}", actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1008));
        assertThatThrownBy(() -> dialect.onText(delta("i", new byte[3]), actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1007));
        assertThatThrownBy(() -> dialect.onBinary(new byte[4], actions))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1008));
        assertThat(actions.log).isEmpty();
    }
}
