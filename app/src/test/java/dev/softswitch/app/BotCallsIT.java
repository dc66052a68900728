package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.MarkEcho;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.codecs.Goertzel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real softphone (baresip) calls assistants that are bots behind a WebSocket, played by test servers that follow the
 * Twilio Media Streams and audio dialects to the letter: the caller hears the bot, the bot hears the caller, marks come
 * back after their audio played, clear silences the bot at once, and a bot that dies leaves the caller with the error
 * tone and a call record that says why.
 */
class BotCallsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SECONDS = 4;
    private static final String TOKEN = "bot-t0ken-for-tests";

    private static Softswitch server;
    private static TestBot twilio;
    private static TestBot audio;
    private static CallRecordsFile records;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        twilio = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        audio = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.ECHO);
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        records = new CallRecordsFile(dir.resolve("calls.jsonl"));
        server = TestServers.configured(
                dir, """
                assistants:
                  - id: twilio-bot
                    kind: websocket
                    url: %s
                    parameters: {tenant: acme}
                    token: ${env:BOT_TOKEN}
                    greeting: Hello from the tests.
                  - id: audio-bot
                    kind: websocket
                    dialect: audio
                    sample_rate: 16000
                    url: %s
                  - id: nobody
                    kind: websocket
                    url: ws://127.0.0.1:%d/bot
                    connect_timeout: 1s
                trunks:
                  - name: local
                    networks: [127.0.0.1/32]
                    routes:
                      twilio: twilio-bot
                      audio: audio-bot
                      nobody: nobody
                      default: twilio-bot
                """.formatted(twilio.url(), audio.url(), nobody), Map.of("BOT_TOKEN", TOKEN));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        twilio.close();
        audio.close();
    }

    private static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + server.sip().port();
    }

    private static CompletableFuture<Baresip.Call> dial(Path dir, String user, String codec, double toneHz) {
        return Baresip.dialAsync(dir, uri(user), codec, toneHz, SECONDS);
    }

    /** The share of {@code samples}' energy at {@code hz}, over the whole of it. */
    private static double share(short[] samples, int from, int length, double hz, int rate) {
        return Goertzel.relativePower(samples, from, length, hz, rate);
    }

    @ParameterizedTest(name = "a softphone on {0} reaches a Twilio Media Streams bot and hears it")
    @ValueSource(strings = {"PCMU", "G722"})
    void aSoftphoneReachesATwilioBotAndHearsIt(String codec, @TempDir Path dir) throws Exception {
        int before = records.of("twilio-bot").size();
        CompletableFuture<Baresip.Call> call = dial(dir, "twilio", codec, 1000);

        BotSession bot = twilio.awaitSession(WAIT);
        assertThat(bot.requestHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        JsonNode start = bot.awaitEvent("start", WAIT).get("start");
        assertThat(start.get("customParameters").get("tenant").asText()).isEqualTo("acme");
        assertThat(start.get("customParameters").get("greeting").asText()).isEqualTo("Hello from the tests.");
        assertThat(start.get("customParameters").get("To").asText()).startsWith("sip:twilio@127.0.0.1");
        long sent = System.nanoTime();
        bot.sendTone(600, 3000, 0.3, 100); // three seconds, sent at once, as bots do
        bot.sendMark("greeting-done");

        Baresip.Call done = call.get();
        assertThat(done.output()).contains("Call established");
        short[] heard = done.heard().channel(0);
        int rate = done.heard().sampleRate();
        assertThat(share(heard, rate / 2, rate, 600, rate))
                .as("the caller hears the bot's 600 Hz")
                .isGreaterThan(0.8);

        bot.awaitEvent("stop", WAIT);
        bot.awaitClosed(WAIT);
        assertThat(bot.closeCode()).contains(1000);
        assertThat(bot.violations()).isEmpty();
        short[] fromCaller = bot.receivedAudio();
        assertThat(fromCaller.length).isGreaterThan(2 * 8000);
        assertThat(share(fromCaller, 8000, 8000, 1000, 8000))
                .as("the bot hears the caller's 1000 Hz, as mu-law at 8 kHz")
                .isGreaterThan(0.8);
        List<MarkEcho> marks = bot.markEchoes();
        assertThat(marks).extracting(MarkEcho::name).containsExactly("greeting-done");
        assertThat(Duration.ofNanos(marks.get(0).nanoTime() - sent))
                .as("the mark comes back once its 3 s of audio played, not when it was queued")
                .isGreaterThan(Duration.ofMillis(2900));

        JsonNode record = records.awaitNext("twilio-bot", before, WAIT);
        assertThat(record.get("direction").asText()).isEqualTo("inbound");
        assertThat(record.get("trunk").asText()).isEqualTo("local");
        assertThat(record.get("codec").asText()).isEqualTo(codec);
        assertThat(record.get("ended_by").asText()).isEqualTo("caller");
        assertThat(record.get("reason").asText()).isEqualTo("completed");
        assertThat(record.get("sip_status").asInt()).isEqualTo(200);
        assertThat(record.get("duration_ms").asLong()).isBetween(2000L, 10_000L);
        assertThat(record.get("rtp").get("packets_received").asLong()).isGreaterThan(100);
        assertThat(record.get("rtp").get("packets_sent").asLong()).isGreaterThan(100);
        assertThat(record.toString()).doesNotContain(TOKEN);
    }

    @Test
    void clearSilencesTheBotWithinAFrame(@TempDir Path dir) throws Exception {
        CompletableFuture<Baresip.Call> call = dial(dir, "twilio", "PCMU", 1000);
        BotSession bot = twilio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        long sent = System.nanoTime();
        bot.sendTone(600, 10_000, 0.3, 500);
        Thread.sleep(1500); // the bot talks for 1.5 s, then the caller "interrupts"
        bot.sendClear();
        long talkedMillis = (System.nanoTime() - sent) / 1_000_000;

        Baresip.Call done = call.get();
        short[] heard = done.heard().channel(0);
        int frame = 160;
        int toneFrames = 0;
        for (int at = 0; at + frame <= heard.length; at += frame) {
            if (Goertzel.relativePower(heard, at, frame, 600, 8000) > 0.5 && HeardAudio.rms(heard, at, frame) > 1000) {
                toneFrames++;
            }
        }
        // Ten seconds were queued; the caller hears what played until the clear and not a frame more than the one in
        // flight and the wire's delay (the unit test pins the clear to the very next tick). Less is heard when the
        // softphone's jitter buffer swallows the first packets of the call.
        assertThat(toneFrames * 20L)
                .as("ms of the bot's tone heard, %d ms after it started talking the bot sent clear", talkedMillis)
                .isBetween(talkedMillis - 300, talkedMillis + 60);
        bot.awaitEvent("stop", WAIT);
        assertThat(bot.violations()).isEmpty();
    }

    @Test
    void theAudioDialectCarriesWidebandPcmBothWays(@TempDir Path dir) throws Exception {
        int before = records.of("audio-bot").size();
        CompletableFuture<Baresip.Call> call = dial(dir, "audio", "G722", 6000);
        BotSession bot = audio.awaitSession(WAIT);
        JsonNode start = bot.awaitEvent("start", WAIT);
        assertThat(start.get("audio").get("sample_rate").asInt()).isEqualTo(16000);
        assertThat(start.get("call").get("codec").asText()).isEqualTo("G722");
        Baresip.Call done = call.get();
        // 6 kHz exists only in wideband audio: caller -> G.722 -> 16 kHz PCM -> echo bot -> G.722 -> caller.
        short[] heard = done.heard().channel(0);
        assertThat(share(heard, 16000, 16000, 6000, 16000)).isGreaterThan(0.8);
        bot.awaitEvent("stop", WAIT);
        assertThat(bot.violations()).isEmpty();
        assertThat(records.awaitNext("audio-bot", before, WAIT).get("codec").asText())
                .isEqualTo("G722");
    }

    @Test
    void aBotThatDiesMidCallLeavesTheCallerTheErrorToneAndARecordSayingWhy(@TempDir Path dir) throws Exception {
        int before = records.of("twilio-bot").size();
        CompletableFuture<Baresip.Call> call = dial(dir, "twilio", "PCMU", 1000);
        BotSession bot = twilio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        bot.abort();
        Baresip.Call done = call.get();
        HeardAudio.assertSpecialInformationTone(done.heard().channel(0));
        JsonNode record = records.awaitNext("twilio-bot", before, WAIT);
        assertThat(record.get("ended_by").asText()).isEqualTo("assistant");
        assertThat(record.get("reason").asText()).isEqualTo("assistant_failed");
        assertThat(record.get("detail").asText()).contains("bot connection lost: 1006");
    }

    @Test
    void anUnreachableBotGetsTheErrorToneNotDeadAir(@TempDir Path dir) throws Exception {
        int before = records.of("nobody").size();
        Baresip.Call done = dial(dir, "nobody", "PCMU", 1000).get();
        assertThat(done.output()).contains("Call established");
        HeardAudio.assertSpecialInformationTone(done.heard().channel(0));
        JsonNode record = records.awaitNext("nobody", before, WAIT);
        assertThat(record.get("reason").asText()).isEqualTo("assistant_failed");
        assertThat(record.get("detail").asText()).contains("bot unreachable");
    }

    private static final String WAIT_FOR_OUR_BYE = Sipp.awaitOurBye(0);

    private static final String HANG_UP_LATER = Sipp.byeAfter(1500, "200", 0);

    @Test
    void aKeyPressedOnARealPhoneReachesTheBotOnceFromTheRfc4733CaptureSippReplays(@TempDir Path dir) throws Exception {
        int before = records.of("audio-bot").size();
        Path pcap = Path.of("/usr/share/sip-tester/dtmf_2833_1.pcap");
        assertThat(pcap)
                .as("the capture sip-tester ships (apt-get install sip-tester)")
                .exists();
        Path scenario = Sipp.scenario(dir, "dtmf-pcap", Map.of("pcap", pcap.toString()));
        Process sipp = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(20), "-sf", scenario.toString(), "-s", "audio", "-m", "1");
        BotSession bot = audio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        JsonNode key = bot.awaitEvent("dtmf", WAIT);
        assertThat(key.get("digit").asText()).isEqualTo("1");
        assertThat(key.get("method").asText()).isEqualTo("rfc4733");
        assertThat(sipp.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue())
                .as(Files.readString(dir.resolve("sipp.out")))
                .isZero();
        JsonNode record = records.awaitNext("audio-bot", before, WAIT);
        assertThat(record.get("dtmf_count").asInt())
                .as("one key press, however many packets")
                .isEqualTo(1);
    }

    @Test
    void aBotTransfersTheCallerWithReferAndTheCallEndsWhenTheTargetAnswered(@TempDir Path dir) throws Exception {
        int before = records.of("audio-bot").size();
        Path scenario = Sipp.scenario(dir, "transfer", Map.of("sipfrag", "200 OK", "ending", WAIT_FOR_OUR_BYE));
        Process sipp = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(20), "-sf", scenario.toString(), "-s", "audio", "-m", "1");
        BotSession bot = audio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        bot.sendTransfer("sip:agent@127.0.0.1:5999");
        assertThat(sipp.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue())
                .as("REFER with Refer-To, 202, NOTIFY 200, our BYE\n%s", Files.readString(dir.resolve("sipp.out")))
                .isZero();
        bot.awaitEvent("stop", WAIT);
        JsonNode record = records.awaitNext("audio-bot", before, WAIT);
        assertThat(record.get("ended_by").asText()).isEqualTo("assistant");
        assertThat(record.get("reason").asText()).isEqualTo("transferred");
        assertThat(bot.violations()).isEmpty();
    }

    @Test
    void aTransferTheTargetDoesNotAnswerLeavesTheCallUpAndTellsTheBot(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "transfer", Map.of("sipfrag", "486 Busy Here", "ending", HANG_UP_LATER));
        Process sipp = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(20), "-sf", scenario.toString(), "-s", "audio", "-m", "1");
        BotSession bot = audio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        bot.sendTransfer("+15550100");
        JsonNode failed = bot.awaitEvent("transfer_failed", WAIT);
        assertThat(failed.get("to").asText()).isEqualTo("+15550100");
        assertThat(failed.get("reason").asText()).isEqualTo("the target answered 486 Busy Here");
        assertThat(sipp.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue())
                .as(Files.readString(dir.resolve("sipp.out")))
                .isZero();
        bot.awaitEvent("stop", WAIT);
        assertThat(bot.violations()).isEmpty();
    }

    @Test
    void aCallerSideThatRefusesReferKeepsTheCallAndTellsTheBot(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "transfer-refused", Map.of());
        Process sipp = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(20), "-sf", scenario.toString(), "-s", "audio", "-m", "1");
        BotSession bot = audio.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        // A number, and the caller's trunk takes no outbound calls: nobody can place a second leg for it.
        bot.sendTransfer("+15550100");
        JsonNode failed = bot.awaitEvent("transfer_failed", WAIT);
        assertThat(failed.get("reason").asText())
                .isEqualTo("the caller's side refused the transfer: 501 Not Implemented");
        assertThat(sipp.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue())
                .as(Files.readString(dir.resolve("sipp.out")))
                .isZero();
        bot.awaitEvent("stop", WAIT);
    }
}
