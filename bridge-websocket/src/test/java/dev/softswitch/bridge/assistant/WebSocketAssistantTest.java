package dev.softswitch.bridge.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.Prompt;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.bridge.assistant.audio.AudioDialect;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.MarkEcho;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.config.Secret;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's assistant side against a real WebSocket bot on 127.0.0.1: the port is driven by a 20 ms ticker that plays the
 * pacer (sending a caller tone in, taking frames out), so every rule of the bridge shows in what the bot receives and
 * what the "caller" would hear.
 */
class WebSocketAssistantTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Prompt ERROR = new Prompt(new ToneGenerator(1800, 8000, 0.3).next(8000), 8000);

    private final BotClient client = new BotClient(1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final List<TestBot> bots = new ArrayList<>();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    /** What the "caller" heard: every frame the ticker took from the port, silence where there was none. */
    private final List<short[]> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        ticker.shutdownNow();
        workers.shutdownNow();
        bots.forEach(TestBot::close);
        client.close();
    }

    private TestBot bot(TestBot.Dialect dialect, TestBot.Behaviour behaviour) {
        TestBot bot = TestBot.start(dialect, behaviour);
        bots.add(bot);
        return bot;
    }

    /** One call at {@code rate}, the caller sending a 1000 Hz tone, the ticker taking what the bot says. */
    private QueueMediaPort call(WebSocketAssistant assistant, int rate, String codec) {
        QueueMediaPort[] holder = new QueueMediaPort[1];
        QueueMediaPort port =
                QueueMediaPort.between(rate, assistant.sampleRate(rate), assistant.playoutFrames(), reason -> {
                    hangups.add((holder[0].failed() ? "failed: " : "") + reason);
                });
        holder[0] = port;
        ToneGenerator caller = new ToneGenerator(1000, rate, 0.3);
        ticker.scheduleAtFixedRate(
                () -> {
                    port.offerFromCaller(caller.next(rate / 50));
                    short[] out = port.pollToCaller();
                    heard.add(out == null ? new short[rate / 50] : out);
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        CallFacts facts = new CallFacts(
                "call-1", "sip:alice@pbx", "sip:bot@softswitch", assistant.id(), codec, assistant.sampleRate(rate));
        Future<?> running = AssistantRunner.start(assistant, facts, port, workers);
        assertThat(running).isNotNull();
        return port;
    }

    private WebSocketAssistant assistant(URI url, IntFunction<BotDialect> dialect, Duration timeout) {
        return new WebSocketAssistant(
                "bot",
                client,
                new BotEndpoint(url, Map.of("Authorization", Secret.of("Bearer s3cret")), timeout),
                dialect,
                "Hello!",
                null,
                ERROR,
                Duration.ZERO);
    }

    private short[] heardSince(int fromFrame) {
        List<short[]> frames = heard.subList(fromFrame, heard.size());
        int n = frames.stream().mapToInt(f -> f.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    @Test
    void aTwilioBotHearsTheCallerAndIsHeardWithMarksEchoedOnlyAfterTheirAudioPlayed() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        QueueMediaPort port =
                call(assistant(bot.url(), rate -> new TwilioDialect(Map.of("tenant", "acme")), WAIT), 8000, "PCMU");

        BotSession session = bot.awaitSession(WAIT);
        assertThat(session.requestHeaders().get("Authorization")).isEqualTo("Bearer s3cret");
        var start = session.awaitEvent("start", WAIT);
        assertThat(start.get("start").get("customParameters").get("tenant").asText())
                .isEqualTo("acme");
        assertThat(start.get("start").get("customParameters").get("greeting").asText())
                .isEqualTo("Hello!");
        session.awaitAudioFrames(50, WAIT);
        short[] fromCaller = session.receivedAudio();
        assertThat(Goertzel.relativePower(fromCaller, 0, 8000, 1000, 8000)).isGreaterThan(0.9);

        int before = heard.size();
        long sentAt = System.nanoTime();
        session.sendTone(600, 1000, 0.3, 100); // one second of audio, all at once
        session.sendMark("after-tone");
        await().atMost(WAIT).until(() -> !session.markEchoes().isEmpty());
        MarkEcho echo = session.markEchoes().get(0);
        assertThat(echo.name()).isEqualTo("after-tone");
        assertThat(Duration.ofNanos(echo.nanoTime() - sentAt))
                .as("the mark comes back when its second of audio has played, not when it was queued")
                .isGreaterThan(Duration.ofMillis(900));
        short[] said = heardSince(before);
        assertThat(Goertzel.relativePower(said, 0, said.length, 600, 8000)).isGreaterThan(0.8);
        assertThat(session.violations()).isEmpty();

        port.close(); // the caller hangs up
        session.awaitEvent("stop", WAIT);
        session.awaitClosed(WAIT);
        assertThat(session.closeCode()).contains(1000);
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void clearStopsTheQueuedAudioAtOnceAndReturnsItsMarks() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        QueueMediaPort port = call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), WAIT), 8000, "PCMU");
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendTone(600, 10_000, 0.3, 500);
        session.sendMark("end-of-answer");
        await().atMost(WAIT).until(() -> port.queuedFrames() > 400);

        session.sendClear();

        await().atMost(WAIT).until(() -> port.queuedFrames() == 0);
        await().atMost(WAIT).until(() -> !session.markEchoes().isEmpty());
        assertThat(session.markEchoes().get(0).name()).isEqualTo("end-of-answer");
        int after = heard.size() + 1; // the tick in flight may still carry a frame
        await().atMost(WAIT).until(() -> heard.size() > after + 10);
        short[] later = heardSince(after);
        assertThat(later).as("nothing but silence after the clear").containsOnly((short) 0);
    }

    @Test
    void anAudioBotGetsPcmAtItsRateFromA16kCallAndItsKeysAndTexts() {
        TestBot bot = bot(TestBot.Dialect.AUDIO, TestBot.Behaviour.ECHO);
        QueueMediaPort port =
                call(assistant(bot.url(), rate -> new AudioDialect(24000, Map.of()), WAIT), 16000, "G722");
        BotSession session = bot.awaitSession(WAIT);
        var start = session.awaitEvent("start", WAIT);
        assertThat(start.get("audio").get("sample_rate").asInt()).isEqualTo(24000);
        assertThat(start.get("call").get("codec").asText()).isEqualTo("G722");
        port.offerDtmf(new DtmfEvent('7', 100, DtmfEvent.Method.RFC4733));
        port.offerText("hi");
        var dtmf = session.awaitEvent("dtmf", WAIT);
        assertThat(dtmf.get("digit").asText()).isEqualTo("7");
        assertThat(session.awaitEvent("text", WAIT).get("text").asText()).isEqualTo("hi");
        session.awaitAudioFrames(50, WAIT);
        short[] got = session.receivedAudio();
        assertThat(Goertzel.relativePower(got, 2400, got.length - 2400, 1000, 24000))
                .isGreaterThan(0.9);
        // The echo comes back resampled to 16 kHz, the caller's tone still at 1000 Hz.
        int before = heard.size();
        await().atMost(WAIT).until(() -> heard.size() > before + 60);
        short[] back = heardSince(before + 10);
        assertThat(Goertzel.relativePower(back, 0, 16000, 1000, 16000)).isGreaterThan(0.8);
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void anUnreachableBotGetsTheErrorPromptAndAFailedHangUp() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        call(
                assistant(URI.create("ws://127.0.0.1:" + closed + "/bot"), rate -> new TwilioDialect(Map.of()), WAIT),
                8000,
                "PCMU");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0))
                .startsWith("failed: bot unreachable: bot ws://127.0.0.1:" + closed + "/bot: cannot connect");
        short[] all = heardSince(0);
        assertThat(Goertzel.relativePower(all, 0, all.length, 1800, 8000))
                .as("the error prompt played")
                .isGreaterThan(0.5);
    }

    @Test
    void aBotThatNeverAnswersTheUpgradeTimesOut() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.NO_HANDSHAKE);
        call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), Duration.ofMillis(500)), 8000, "PCMU");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).contains("bot unreachable").contains("no answer within 500 ms");
    }

    @Test
    void aBotThatRefusesTheUpgradeIsNamedWithItsStatus() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.REJECT);
        call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), WAIT), 8000, "PCMU");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).contains("refused the upgrade").contains("403");
    }

    @Test
    void aBotThatDropsTheConnectionMidCallFailsTheCallWithTheErrorPrompt() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), WAIT), 8000, "PCMU");
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        int before = heard.size();
        session.abort();
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).isEqualTo("failed: bot connection lost: 1006 (no close frame)");
        short[] after = heardSince(before);
        assertThat(Goertzel.relativePower(after, 0, after.length, 1800, 8000)).isGreaterThan(0.5);
    }

    @Test
    void aBotThatClosesNormallyEndsTheCallAfterItsAudioPlayed() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), WAIT), 8000, "PCMU");
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        int before = heard.size();
        session.sendTone(600, 600, 0.3, 600);
        session.close(1000, "goodbye");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).isEqualTo("bot ended the call");
        short[] said = heardSince(before);
        assertThat(Goertzel.relativePower(said, 0, said.length, 600, 8000)).isGreaterThan(0.7);
        assertThat(said.length).as("the goodbye played to the end").isGreaterThanOrEqualTo(4800);
    }

    @Test
    void aBotThatBreaksTheProtocolIsClosedWithTheCodeAndTheFieldNamed() {
        TestBot bot = bot(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), rate -> new TwilioDialect(Map.of()), WAIT), 8000, "PCMU");
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendJson("{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{}}");
        session.awaitClosed(WAIT);
        assertThat(session.closeCode()).contains(1008);
        assertThat(session.closeReason()).contains("media.payload is required (a string)");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).isEqualTo("failed: bot broke the protocol: media.payload is required (a string)");
    }

    @Test
    void theBotsHangupEndsTheCall() {
        TestBot bot = bot(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), rate -> new AudioDialect(16000, Map.of()), WAIT), 8000, "PCMU");
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendHangup("all done");
        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).isEqualTo("bot: all done");
        session.awaitClosed(WAIT);
        assertThat(session.closeCode()).contains(1000);
    }
}
