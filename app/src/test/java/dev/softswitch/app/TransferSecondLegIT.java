package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bot transfers a caller whose side refuses REFER (a trunk that takes no transfers): the softswitch calls the target
 * itself and bridges the two calls. SIPp plays the caller (a 1000 Hz tone, REFER answered 501), baresip the target
 * (answers, plays 700 Hz, records what it hears).
 */
class TransferSecondLegIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path data;

    private static TestBot bot;
    private static Softswitch server;
    private static CallRecordsFile records;

    @BeforeAll
    static void start() throws Exception {
        bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
        records = new CallRecordsFile(data.resolve("calls.jsonl"));
        server = TestServers.configured(data, """
                assistants:
                  - id: desk
                    kind: websocket
                    dialect: audio
                    url: %s
                    record: true
                trunks:
                  - name: local
                    networks: [127.0.0.1/32]
                    routes:
                      default: desk
                """.formatted(bot.url()), Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        bot.close();
    }

    @Test
    void theTargetAnswersAndTheCallerAndTheTargetHearEachOther(@TempDir Path dir) throws Exception {
        int before = records.of("desk").size();
        Path phoneDir = Files.createDirectories(dir.resolve("target"));
        int phone = FreePorts.udpAndTcp();
        CompletableFuture<Baresip.Call> target = Baresip.answer(phoneDir, phone, "PCMU", 700, 12);
        Thread.sleep(1000); // baresip starts listening
        Path scenario = Sipp.scenario(
                dir,
                "transfer-refused-talk",
                Map.of("audio", Sipp.alawTone(dir, 1000).toString(), "pause_ms", "6000"));
        Process caller = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(25), "-sf", scenario.toString(), "-s", "desk", "-m", "1");

        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendTransfer("sip:tester@127.0.0.1:" + phone);

        assertThat(caller.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(caller.exitValue())
                .as(
                        "the caller: REFER refused, the call went on, its BYE answered\n%s",
                        Files.readString(dir.resolve("sipp.out")))
                .isZero();
        // The caller hung up: the target's call ended with it.
        JsonNode first = records.awaitNext("desk", before, WAIT);
        assertThat(first.get("ended_by").asText()).isEqualTo("caller");
        await().atMost(WAIT).until(() -> !records.of("bridge").isEmpty());
        JsonNode leg = records.of("bridge").get(0);
        assertThat(leg.get("direction").asText()).isEqualTo("outbound");
        assertThat(leg.get("to").asText()).isEqualTo("sip:tester@127.0.0.1:" + phone);
        assertThat(leg.get("ended_by").asText()).isEqualTo("softswitch");

        Baresip.Call heard = target.join();
        assertThat(heard.output()).contains("Call established");
        assertThat(HeardAudio.framesDominatedBy(heard.heard().channel(0), 1000))
                .as("frames of the caller's 1000 Hz the target heard")
                .isGreaterThan(50);
        Path wav = Path.of(first.get("recording").asText());
        await().atMost(WAIT).until(() -> Files.size(wav) > 44);
        Thread.sleep(500); // the recorder finishes the file just after the call ends
        WavAudio recording = Wav.read(wav);
        assertThat(HeardAudio.framesDominatedBy(recording.channel(1), 700))
                .as("frames of the target's 700 Hz sent to the caller")
                .isGreaterThan(50);
    }

    @Test
    void aTargetThatIsBusyLeavesTheCallWithTheBotAndTellsItWhy(@TempDir Path dir) throws Exception {
        int busy = FreePorts.udpAndTcp();
        Path busyDir = Files.createDirectories(dir.resolve("busy"));
        Process target = Sipp.serve(
                busyDir,
                busy,
                Duration.ofSeconds(20),
                "-sf",
                Sipp.scenario(busyDir, "uas-reject", Map.of("status", "486", "reason", "Busy Here"))
                        .toString(),
                "-m",
                "1");
        Thread.sleep(300);
        Path scenario = Sipp.scenario(
                dir,
                "transfer-refused-talk",
                Map.of("audio", Sipp.alawTone(dir, 1000).toString(), "pause_ms", "3000"));
        Process caller = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(20), "-sf", scenario.toString(), "-s", "desk", "-m", "1");

        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendTransfer("sip:agent@127.0.0.1:" + busy);
        JsonNode failed = session.awaitEvent("transfer_failed", WAIT);
        assertThat(failed.get("reason").asText())
                .startsWith(
                        "the caller's side refused the transfer (501 Not Implemented) and calling the target failed:"
                                + " busy");

        assertThat(caller.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(caller.exitValue())
                .as(Files.readString(dir.resolve("sipp.out")))
                .isZero();
        assertThat(Sipp.result(target, busyDir, Duration.ofSeconds(10)).exitCode())
                .isZero();
        session.awaitEvent("stop", WAIT);
    }
}
