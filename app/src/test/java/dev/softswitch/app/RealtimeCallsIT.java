package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.bridge.testbot.openai.FakeRealtimeServer;
import dev.softswitch.codecs.Goertzel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real softphone (baresip) reaches an {@code openai-realtime} assistant, played by a fake of the OpenAI Realtime API
 * (GA) that checks every client event: the model gets the session set up for the call's codec, the greeting and the
 * caller's voice; the caller hears the model; when the caller talks over it, the model goes quiet at once and its item
 * is truncated at what was heard; a refused key leaves the caller the error tone and a record that says why.
 */
class RealtimeCallsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SECONDS = 4;
    private static final String KEY = "sk-test-realtime-0123456789abcdef";
    private static final String ROTATED_KEY = "sk-test-rotated-fedcba9876543210";
    private static final String MODEL = "gpt-realtime";
    private static final String INSTRUCTIONS = "You are the concierge of a small hotel. Be brief.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Softswitch server;
    /** OpenAI, accepting the key the softswitch has. */
    private static FakeRealtimeServer openai;
    /** OpenAI after the key was rotated: the softswitch's key is refused with 401. */
    private static FakeRealtimeServer rotated;

    private static CallRecordsFile records;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        openai = FakeRealtimeServer.start(KEY, MODEL);
        rotated = FakeRealtimeServer.start(ROTATED_KEY, MODEL);
        records = new CallRecordsFile(dir.resolve("calls.jsonl"));
        server = TestServers.configured(
                dir,
                """
                assistants:
                  - id: concierge
                    kind: openai-realtime
                    url: ws://127.0.0.1:%d/v1/realtime
                    api_key: ${env:OPENAI_API_KEY}
                    model: %s
                    instructions: %s
                    greeting: Say hello.
                  - id: stale
                    kind: openai-realtime
                    url: ws://127.0.0.1:%d/v1/realtime
                    api_key: ${env:OPENAI_API_KEY}
                    model: %s
                trunks:
                  - name: local
                    networks: [127.0.0.1/32]
                    routes:
                      stale: stale
                      default: concierge
                """.formatted(openai.port(), MODEL, INSTRUCTIONS, rotated.port(), MODEL),
                Map.of("OPENAI_API_KEY", KEY));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (openai != null) {
            openai.close();
        }
        if (rotated != null) {
            rotated.close();
        }
    }

    @Test
    void aPcmuCallerTalksWithTheModelAndHearsIt(@TempDir Path dir) throws Exception {
        int before = records.of("concierge").size();
        int sessions = openai.sessions();
        CompletableFuture<Baresip.Call> call = dial(dir, "concierge", "PCMU", 1000);

        awaitNewSession(openai, sessions);
        JsonNode greeting = openai.awaitType("response.create", WAIT);
        // The fake refuses an upgrade without "Authorization: Bearer <the key>", so a session means the key went along.
        List<JsonNode> first = openai.received();
        assertThat(first.get(0).get("type").asText())
                .as("the first client event")
                .isEqualTo("session.update");
        JsonNode session = first.get(0).get("session");
        assertThat(session.get("model").asText()).isEqualTo(MODEL);
        assertThat(session.get("instructions").asText()).isEqualTo(INSTRUCTIONS);
        assertThat(session.at("/audio/input/format/type").asText())
                .as("a mu-law call hands the model mu-law")
                .isEqualTo("audio/pcmu");
        assertThat(session.at("/audio/output/format/type").asText()).isEqualTo("audio/pcmu");
        assertThat(first.get(1))
                .as("the greeting comes right after the session")
                .isEqualTo(greeting);
        assertThat(greeting.at("/response/instructions").asText()).endsWith("Say hello.");

        openai.sendToneResponse("item_hello", 440, 2000);

        Baresip.Call done = call.get();
        assertThat(done.output()).contains("Call established");
        short[] heard = done.heard().channel(0);
        int rate = done.heard().sampleRate();
        assertThat(Goertzel.relativePower(heard, rate / 2, rate, 440, rate))
                .as("the caller hears the model's 440 Hz")
                .isGreaterThan(0.8);

        assertThat(openai.awaitClientClose(WAIT))
                .as("the softswitch closes the session normally when the caller hangs up")
                .isEqualTo(1000);
        List<JsonNode> events = openai.received();
        assertThat(events.subList(2, events.size()).stream()
                        .map(e -> e.get("type").asText()))
                .as("after the session and the greeting, the caller's voice, as input_audio_buffer.append")
                .isNotEmpty()
                .containsOnly("input_audio_buffer.append");
        assertThat(openai.inputRate()).isEqualTo(8000);
        short[] fromCaller = openai.receivedAudio();
        assertThat(fromCaller.length).isGreaterThan(2 * 8000);
        assertThat(Goertzel.relativePower(fromCaller, 8000, 8000, 1000, 8000))
                .as("the model hears the caller's 1000 Hz, as mu-law at 8 kHz")
                .isGreaterThan(0.8);
        assertThat(openai.violations()).isEmpty();

        JsonNode record = records.awaitNext("concierge", before, WAIT);
        assertThat(record.get("direction").asText()).isEqualTo("inbound");
        assertThat(record.get("trunk").asText()).isEqualTo("local");
        assertThat(record.get("codec").asText()).isEqualTo("PCMU");
        assertThat(record.get("ended_by").asText()).isEqualTo("caller");
        assertThat(record.get("reason").asText()).isEqualTo("completed");
        assertThat(record.get("sip_status").asInt()).isEqualTo(200);
        assertThat(record.toString()).doesNotContain(KEY);
    }

    @Test
    void theCallerTalkingOverTheModelSilencesItAndTruncatesItsItemAtWhatWasHeard(@TempDir Path dir) throws Exception {
        int sessions = openai.sessions();
        CompletableFuture<Baresip.Call> call = dial(dir, "concierge", "PCMU", 1000);
        awaitNewSession(openai, sessions);
        openai.awaitType("response.create", WAIT);

        long sent = System.nanoTime();
        openai.sendToneResponse("item_long", 440, 8000); // eight seconds, at once, as the model sends them
        Thread.sleep(1500); // the model talks for 1.5 s, then its VAD hears the caller
        openai.sendSpeechStarted();
        long talkedMillis = (System.nanoTime() - sent) / 1_000_000;

        JsonNode truncate = openai.awaitType("conversation.item.truncate", WAIT);
        long elapsedMillis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(truncate.get("item_id").asText()).isEqualTo("item_long");
        assertThat(truncate.get("content_index").asInt()).isZero();
        // What the caller heard: about the 1.5 s until the barge-in, never more than real time allowed to play.
        assertThat(truncate.get("audio_end_ms").asLong())
                .as("audio_end_ms, %d ms after the first delta", elapsedMillis)
                .isBetween(1000L, elapsedMillis);

        Baresip.Call done = call.get();
        short[] heard = done.heard().channel(0);
        int frame = 160;
        int toneFrames = 0;
        for (int at = 0; at + frame <= heard.length; at += frame) {
            if (Goertzel.relativePower(heard, at, frame, 440, 8000) > 0.5 && HeardAudio.rms(heard, at, frame) > 1000) {
                toneFrames++;
            }
        }
        // Eight seconds were queued; the caller hears what played until speech_started and not a frame more than
        // the one in flight and the wire's delay. Less is heard when the softphone's jitter buffer swallows the first
        // packets of the call.
        assertThat(toneFrames * 20L)
                .as("ms of the model's tone heard, %d ms after it started talking the caller barged in", talkedMillis)
                .isBetween(talkedMillis - 500, talkedMillis + 60);
        assertThat(openai.awaitClientClose(WAIT)).isEqualTo(1000);
        assertThat(openai.violations())
                .as("the truncate is within the item's audio, the server accepted it")
                .isEmpty();
    }

    @Test
    void aG722CallCarries24kHzPcmBothWays(@TempDir Path dir) throws Exception {
        int before = records.of("concierge").size();
        int sessions = openai.sessions();
        CompletableFuture<Baresip.Call> call = dial(dir, "concierge", "G722", 1000);
        awaitNewSession(openai, sessions);
        JsonNode update = openai.awaitType("session.update", WAIT);
        JsonNode pcm24 = JSON.readTree("{\"type\":\"audio/pcm\",\"rate\":24000}");
        assertThat(update.at("/session/audio/input/format")).isEqualTo(pcm24);
        assertThat(update.at("/session/audio/output/format")).isEqualTo(pcm24);
        openai.awaitType("response.create", WAIT);
        // 5 kHz exists only in wideband audio: model -> 24 kHz PCM -> 16 kHz -> G.722 -> caller.
        openai.sendToneResponse("item_wide", 5000, 2000);

        Baresip.Call done = call.get();
        short[] heard = done.heard().channel(0);
        assertThat(done.heard().sampleRate()).isEqualTo(16000);
        assertThat(Goertzel.relativePower(heard, 8000, 16000, 5000, 16000))
                .as("the caller hears the model's 5 kHz through G.722")
                .isGreaterThan(0.8);

        openai.awaitClientClose(WAIT);
        assertThat(openai.inputRate()).isEqualTo(24000);
        short[] fromCaller = openai.receivedAudio();
        assertThat(fromCaller.length).isGreaterThan(2 * 24000);
        assertThat(Goertzel.relativePower(fromCaller, 24000, 24000, 1000, 24000))
                .as("the model hears the caller's 1000 Hz as 24 kHz PCM")
                .isGreaterThan(0.8);
        assertThat(openai.violations()).isEmpty();
        assertThat(records.awaitNext("concierge", before, WAIT).get("codec").asText())
                .isEqualTo("G722");
    }

    @Test
    void aRefusedKeyLeavesTheCallerTheErrorToneAndARecordSayingWhy(@TempDir Path dir) throws Exception {
        int before = records.of("stale").size();
        Baresip.Call done = dial(dir, "stale", "PCMU", 1000).get();
        assertThat(done.output()).contains("Call established");
        HeardAudio.assertSpecialInformationTone(done.heard().channel(0));
        assertThat(rotated.violations())
                .as("the fake refused the upgrade for the key, and nothing else")
                .singleElement()
                .asString()
                .contains("401");
        assertThat(rotated.sessions()).isZero();

        JsonNode record = records.awaitNext("stale", before, WAIT);
        assertThat(record.get("ended_by").asText()).isEqualTo("assistant");
        assertThat(record.get("reason").asText()).isEqualTo("assistant_failed");
        assertThat(record.get("detail").asText()).contains("bot unreachable").contains("401");
        assertThat(record.toString()).doesNotContain(KEY);
    }

    private static void awaitNewSession(FakeRealtimeServer fake, int before) {
        await().atMost(WAIT).until(() -> fake.sessions() > before);
    }

    private static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + server.sip().port();
    }

    private static CompletableFuture<Baresip.Call> dial(Path dir, String user, String codec, double toneHz) {
        return Baresip.dialAsync(dir, uri(user), codec, toneHz, SECONDS);
    }
}
