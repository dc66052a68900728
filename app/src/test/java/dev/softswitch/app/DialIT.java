package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code softswitch dial} against real peers on 127.0.0.1: SIPp playing a carrier that challenges, refuses, rings
 * forever or plays early media, and baresip as a phone that answers. Each test runs the command as a user would (in
 * this JVM) and checks its exit status, the call record it leaves, and what the far end heard or sent.
 */
class DialIT {

    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private int sippPort;
    private Path records;

    /** A configuration with a trunk pointing at the SIPp on {@link #sippPort}, its password in a file. */
    private Path config(String password) throws Exception {
        sippPort = FreePorts.udpAndTcp();
        records = dir.resolve("calls.jsonl");
        Path secret = dir.resolve("carrier.secret");
        Files.writeString(secret, password);
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, """
                assistants:
                  - id: echo
                    kind: echo
                  - id: echo-rec
                    kind: echo
                    record: true
                trunks:
                  - name: carrier
                    outbound:
                      host: 127.0.0.1
                      port: %d
                      username: acme
                      password: ${file:%s}
                      caller_id: "+15550001111"
                records:
                  calls: %s
                  recordings: %s
                """.formatted(sippPort, secret, records, dir.resolve("recordings")));
        return file;
    }

    private int dial(Path config, String... more) {
        int rtp = FreePorts.rtpRangeStart();
        List<String> args = new ArrayList<>(List.of(
                "dial",
                "--config",
                config.toString(),
                "--sip-port",
                Integer.toString(FreePorts.udpAndTcp()),
                "--rtp-ports",
                rtp + "-" + (rtp + 99)));
        args.addAll(List.of(more));
        return new CommandLine(new Main()).execute(args.toArray(String[]::new));
    }

    private JsonNode record() throws Exception {
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        Files.exists(records) && !Files.readAllLines(records).isEmpty());
        List<JsonNode> all = new CallRecordsFile(records).of("echo");
        List<JsonNode> rec = new CallRecordsFile(records).of("echo-rec");
        return !all.isEmpty() ? all.get(0) : rec.get(0);
    }

    @Test
    void aCarrierThatChallengesGetsOurDigestAndTheAnsweredCallEndsAtItsMaximumDuration() throws Exception {
        Path config = config("s3cret");
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-auth", Map.of("username", "acme", "password", "s3cret"))
                        .toString(),
                "-m",
                "1");
        Thread.sleep(300); // SIPp binds its port
        int status = dial(config, "--trunk", "carrier", "--to", "+1 555 123-0000", "--max-duration", "2s");

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status).as("dial's exit status (0: answered)").isEqualTo(0);
        assertThat(far.exitCode())
                .as("SIPp saw INVITE, INVITE with credentials, ACK and our BYE:\n%s", far.output())
                .isZero();
        JsonNode record = record();
        assertThat(record.path("direction").asText()).isEqualTo("outbound");
        assertThat(record.path("trunk").asText()).isEqualTo("carrier");
        assertThat(record.path("to").asText()).isEqualTo("sip:+15551230000@127.0.0.1:" + sippPort);
        assertThat(record.path("from").asText()).startsWith("sip:+15550001111@");
        assertThat(record.path("reason").asText()).isEqualTo("max_duration");
        assertThat(record.path("sip_status").asInt()).isEqualTo(200);
        assertThat(record.path("codec").asText()).isEqualTo("PCMU");
    }

    @Test
    void wrongCredentialsAreRefusedAndReportedAsRejectedWithTheStatus() throws Exception {
        Path config = config("not-the-password");
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-auth", Map.of("username", "acme", "password", "s3cret"))
                        .toString(),
                "-m",
                "1");
        Thread.sleep(300);
        int status = dial(config, "--trunk", "carrier", "--to", "+15551230000");

        Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status).as("exit status 12: rejected").isEqualTo(12);
        JsonNode record = record();
        assertThat(record.path("reason").asText()).isEqualTo("rejected");
        assertThat(record.path("sip_status").asInt()).isEqualTo(403);
        assertThat(record.path("answered").isNull() || record.path("answered").isMissingNode())
                .isTrue();
        assertThat(Files.readString(records)).doesNotContain("s3cret").doesNotContain("not-the-password");
    }

    @Test
    void aBusyCalleeEndsTheDialWithBusy() throws Exception {
        Path config = config("s3cret");
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-reject", Map.of("status", "486", "reason", "Busy Here"))
                        .toString(),
                "-m",
                "1");
        Thread.sleep(300);
        int status = dial(config, "--trunk", "carrier", "--to", "+15551230000");

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status).as("exit status 10: busy").isEqualTo(10);
        assertThat(far.exitCode())
                .as("SIPp got the ACK for its 486:\n%s", far.output())
                .isZero();
        JsonNode record = record();
        assertThat(record.path("reason").asText()).isEqualTo("busy");
        assertThat(record.path("sip_status").asInt()).isEqualTo(486);
        assertThat(record.path("ended_by").asText()).isEqualTo("callee");
    }

    @Test
    void nobodyAnsweringIsCancelledAtTheRingTimeout() throws Exception {
        Path config = config("s3cret");
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-no-answer", Map.of()).toString(),
                "-m",
                "1");
        Thread.sleep(300);
        long started = System.nanoTime();
        int status = dial(config, "--trunk", "carrier", "--to", "+15551230000", "--ring-timeout", "2s");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status).as("exit status 11: no answer").isEqualTo(11);
        assertThat(far.exitCode())
                .as("SIPp got our CANCEL and the ACK for its 487:\n%s", far.output())
                .isZero();
        assertThat(took)
                .as("the dial gave up after the 2 s ring timeout")
                .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
        JsonNode record = record();
        assertThat(record.path("reason").asText()).isEqualTo("no_answer");
        assertThat(record.path("sip_status").asInt()).isEqualTo(487);
    }

    @Test
    void earlyMediaFlowsBeforeTheAnswerAndIsRecorded() throws Exception {
        Path config = config("s3cret");
        // 1.5 s of 1000 Hz as raw mu-law: what the network plays before the 200 OK (and goes on playing after).
        short[] tone = new ToneGenerator(1000, 8000, 0.3).next(8000 * 2);
        byte[] ulaw = new byte[tone.length];
        for (int i = 0; i < tone.length; i++) {
            ulaw[i] = G711.linearToUlaw(tone[i]);
        }
        Files.write(dir.resolve("tone.ulaw"), ulaw);
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-early-media", Map.of("file", "tone.ulaw", "early_ms", "1500"))
                        .toString(),
                "-m",
                "1");
        Thread.sleep(300);
        int status = dial(
                config,
                "--trunk",
                "carrier",
                "--to",
                "+15551230000",
                "--assistant",
                "echo-rec",
                "--max-duration",
                "2s");

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status).as("exit status 0: answered after early media").isEqualTo(0);
        assertThat(far.exitCode()).as("SIPp:\n%s", far.output()).isZero();
        JsonNode record = record();
        Path wav = Path.of(record.path("recording").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(wav) > 44);
        Thread.sleep(500); // the recorder finishes the file just after the call ends
        WavAudio audio = Wav.read(wav);
        short[] far0 = audio.channel(0);
        // The recording starts with the 183: its first second is the early media, before the answer at 1.5 s.
        assertThat(Goertzel.relativePower(far0, 1600, 8000, 1000, 8000))
                .as("the far end's 1000 Hz during the early media")
                .isGreaterThan(0.8);
        assertThat(far0.length / 8000.0).as("early media and 2 s of call").isBetween(3.0, 5.0);
    }

    @Test
    void baresipAnswersHearsItselfThroughTheEchoAssistantAndItsToneIsRecorded() throws Exception {
        Path config = config("s3cret");
        int phone = FreePorts.udpAndTcp();
        Path phoneDir = Files.createDirectories(dir.resolve("phone"));
        var answered = Baresip.answer(phoneDir, phone, "PCMU", 700, 8);
        Thread.sleep(1000); // baresip starts listening
        int status = dial(
                config, "--to", "sip:tester@127.0.0.1:" + phone, "--assistant", "echo-rec", "--max-duration", "3s");
        assertThat(status).as("exit status 0: answered").isEqualTo(0);
        Baresip.Call call = answered.join();
        assertThat(call.output()).contains("Call established");
        assertThat(HeardAudio.framesDominatedBy(call.heard().channel(0), 700))
                .as("20 ms frames of its own 700 Hz that baresip heard back")
                .isGreaterThan(50);
        JsonNode record = record();
        assertThat(record.path("direction").asText()).isEqualTo("outbound");
        assertThat(record.path("reason").asText()).isEqualTo("max_duration");
        WavAudio recording = Wav.read(Path.of(record.path("recording").asText()));
        assertThat(HeardAudio.framesDominatedBy(recording.channel(0), 700))
                .as("frames of the phone's 700 Hz that reached the assistant")
                .isGreaterThan(50);
    }

    @Test
    void aBatchPlacesEveryCallWritesAResultLineEachAndExitsWithTheFirstFailure() throws Exception {
        Path config = config("s3cret");
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, "uas-reject", Map.of("status", "486", "reason", "Busy Here"))
                        .toString(),
                "-m",
                "3");
        Thread.sleep(300);
        Path numbers = dir.resolve("numbers.csv");
        Files.writeString(numbers, "to,name\n+15551230000,ann\n+15551230001,bob\n+15551230002,cy\n");
        Path results = dir.resolve("results.csv");
        int status = dial(
                config,
                "--trunk",
                "carrier",
                "--to-file",
                numbers.toString(),
                "--concurrency",
                "2",
                "--results",
                results.toString());

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(status)
                .as("exit status 10: the first call not answered was busy")
                .isEqualTo(10);
        assertThat(far.exitCode())
                .as("SIPp refused three calls:\n%s", far.output())
                .isZero();
        List<String> lines = Files.readAllLines(results);
        assertThat(lines.get(0)).isEqualTo("line,to,call_id,outcome,sip_status,talked_s,detail");
        assertThat(lines.subList(1, lines.size())).hasSize(3).allSatisfy(line -> assertThat(line)
                .contains(",busy,486,0,486 Busy Here"));
        assertThat(new CallRecordsFile(records).of("echo")).hasSize(3);
    }
}
