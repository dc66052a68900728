package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real softphone (baresip) calls an assistant configured with {@code record: true}: the call leaves a stereo WAV
 * in the recordings directory, the caller's tone on the left, the assistant's on the right, at the codec's audio
 * rate, and its call record names that file.
 */
class RecordingIT {

    private static final int SECONDS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    private static Softswitch server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.configured(data, """
                assistants:
                  - id: tone-rec
                    kind: tone
                    record: true
                trunks:
                  - name: loopback
                    networks: [127.0.0.1/32]
                    routes:
                      default: tone-rec
                """, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "a {0} call is recorded at {1} Hz, caller left, assistant right")
    @CsvSource({"PCMU, 8000", "G722, 16000"})
    void aRecordingAssistantsCallIsRecordedInStereoAndNamedInItsCallRecord(String codec, int rate, @TempDir Path dir)
            throws Exception {
        Baresip.Call call =
                Baresip.dial(dir, "sip:anything@127.0.0.1:" + server.sip().port(), codec, 1000, SECONDS);
        assertThat(call.output()).contains("Call established").contains("Set audio decoder: " + codec);

        // The call record names the file: <recordings>/<call id>.wav.
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            List<JsonNode> lines = records(codec);
            assertThat(lines)
                    .as("call records of %s calls in %s", codec, callRecords())
                    .hasSize(1);
            found.set(lines.get(0));
        });
        JsonNode record = found.get();
        assertThat(record.path("assistant").asText()).isEqualTo("tone-rec");
        assertThat(record.path("trunk").asText()).isEqualTo("loopback");
        Path wav = recordings().resolve(record.path("call_id").asText() + ".wav");
        assertThat(record.path("recording").asText()).isEqualTo(wav.toString());

        // The recorder finishes the file (its real sizes in the header) just after the call ends.
        await().atMost(Duration.ofSeconds(10)).until(() -> finished(wav));
        WavAudio audio = Wav.read(wav);
        assertThat(audio.channels()).as("stereo").isEqualTo(2);
        assertThat(audio.sampleRate()).as("the codec's audio rate").isEqualTo(rate);
        double seconds = audio.frames() / (double) rate;
        assertThat(seconds).as("the call lasted about %d s", SECONDS).isBetween(SECONDS - 1.0, SECONDS + 1.5);

        short[] left = audio.channel(0);
        short[] right = audio.channel(1);
        // One second from the middle of the call: both sides are talking by then.
        assertThat(Goertzel.relativePower(left, rate, rate, 1000, rate))
                .as("left: the caller's 1000 Hz")
                .isGreaterThan(0.8);
        assertThat(Goertzel.relativePower(left, rate, rate, 440, rate))
                .as("left: none of the assistant's 440 Hz")
                .isLessThan(0.05);
        assertThat(Goertzel.relativePower(right, rate, rate, 440, rate))
                .as("right: the assistant's 440 Hz")
                .isGreaterThan(0.8);
        assertThat(Goertzel.relativePower(right, rate, rate, 1000, rate))
                .as("right: none of the caller's 1000 Hz")
                .isLessThan(0.05);
    }

    private static Path callRecords() {
        return data.resolve("calls.jsonl");
    }

    private static Path recordings() {
        return data.resolve("recordings");
    }

    /** The call records written so far of answered calls on {@code codec}. */
    private static List<JsonNode> records(String codec) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(callRecords())) {
            return out;
        }
        for (String line : Files.readAllLines(callRecords(), StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            if (codec.equals(record.path("codec").asText())) {
                out.add(record);
            }
        }
        return out;
    }

    /** Whether the recorder has replaced the header's "to the end of the file" RIFF size with the real one. */
    private static boolean finished(Path wav) throws IOException {
        if (!Files.exists(wav) || Files.size(wav) < 8) {
            return false;
        }
        try (InputStream in = Files.newInputStream(wav)) {
            byte[] head = in.readNBytes(8);
            long riffSize = Integer.toUnsignedLong(
                    ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
            return riffSize == Files.size(wav) - 8;
        }
    }
}
