package dev.softswitch.bridge.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.Prompt;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.bridge.assistant.audio.AudioDialect;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout of a bot's call, against a real WebSocket bot on 127.0.0.1, the port driven by a 20 ms ticker that
 * plays the pacer (as in {@link WebSocketAssistantTest}): a quiet call is prompted, then hung up; a talking one is not.
 */
class WebSocketAssistantIdleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Prompt ERROR = new Prompt(new ToneGenerator(1800, 8000, 0.3).next(8000), 8000);

    /** A hang-up the port reported, with when. */
    private record Hangup(String reason, long nanoTime) {}

    private final BotClient client = new BotClient(1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final List<TestBot> bots = new ArrayList<>();
    private final List<Hangup> hangups = new CopyOnWriteArrayList<>();
    /** What the "caller" heard: every frame the ticker took from the port, silence where there was none. */
    private final List<short[]> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        ticker.shutdownNow();
        workers.shutdownNow();
        bots.forEach(TestBot::close);
        client.close();
    }

    private TestBot bot(TestBot.Dialect dialect) {
        TestBot bot = TestBot.start(dialect, TestBot.Behaviour.SILENT);
        bots.add(bot);
        return bot;
    }

    private WebSocketAssistant assistant(TestBot bot, IntFunction<BotDialect> dialect, Duration idleTimeout) {
        return new WebSocketAssistant(
                "bot", client, new BotEndpoint(bot.url(), Map.of(), WAIT), dialect, null, null, ERROR, idleTimeout);
    }

    /** One call at {@code rate}: the caller silent, or talking (a 1000 Hz tone at -13 dBFS) without a pause. */
    private QueueMediaPort call(WebSocketAssistant assistant, int rate, String codec, boolean callerTalks) {
        QueueMediaPort[] holder = new QueueMediaPort[1];
        QueueMediaPort port = QueueMediaPort.between(
                rate,
                assistant.sampleRate(rate),
                assistant.playoutFrames(),
                reason -> hangups.add(new Hangup((holder[0].failed() ? "failed: " : "") + reason, System.nanoTime())));
        holder[0] = port;
        ToneGenerator voice = new ToneGenerator(1000, rate, 0.3);
        ScheduledFuture<?> unused = ticker.scheduleAtFixedRate(
                () -> {
                    port.offerFromCaller(callerTalks ? voice.next(rate / 50) : new short[rate / 50]);
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

    /** Waits for the first message of {@code type} and says when it was seen (within {@link #POLL}). */
    private static long seen(BotSession session, String type) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> !session.events(type)
                .isEmpty());
        return System.nanoTime();
    }

    private static long millis(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toMillis();
    }

    @Test
    void aSilentCallIsPromptedAfterTheTimeoutAndHungUpHalfTheTimeoutLater() {
        TestBot bot = bot(TestBot.Dialect.AUDIO);
        QueueMediaPort port = call(
                assistant(bot, rate -> new AudioDialect(16000, Map.of()), Duration.ofMillis(600)), 8000, "PCMU", false);
        BotSession session = bot.awaitSession(WAIT);
        long started = seen(session, "start");

        long prompted = seen(session, "idle");
        JsonNode idle = session.events("idle").get(0);
        assertThat(idle.get("idle_ms").asLong()).isEqualTo(600);
        assertThat(millis(started, prompted)).as("the prompt after ~600 ms").isBetween(500L, 1500L);

        await().atMost(WAIT).pollInterval(POLL).until(() -> !hangups.isEmpty());
        Hangup hangup = hangups.get(0);
        assertThat(hangup.reason()).as("a normal ending, not a failure").startsWith("idle for ");
        assertThat(port.failed()).isFalse();
        assertThat(millis(prompted, hangup.nanoTime()))
                .as("hung up ~300 ms after the prompt")
                .isBetween(200L, 1000L);
        assertThat(session.events("idle")).as("one prompt").hasSize(1);
        session.awaitEvent("stop", WAIT);
        session.awaitClosed(WAIT);
        assertThat(session.closeCode()).contains(1000);
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void aCallerWhoKeepsTalkingIsNeverPrompted() {
        TestBot bot = bot(TestBot.Dialect.AUDIO);
        QueueMediaPort port = call(
                assistant(bot, rate -> new AudioDialect(16000, Map.of()), Duration.ofMillis(600)), 8000, "PCMU", true);
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> session.events("idle").isEmpty() && hangups.isEmpty());
        assertThat(port.isOpen()).isTrue();
        assertThat(session.receivedAudioFrames())
                .as("the caller's audio reached the bot")
                .isGreaterThan(50);
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void theBotsAnswerToThePromptDelaysTheHangUpUntilItHasPlayed() {
        TestBot bot = bot(TestBot.Dialect.AUDIO);
        call(assistant(bot, rate -> new AudioDialect(16000, Map.of()), Duration.ofSeconds(1)), 8000, "PCMU", false);
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        long prompted = seen(session, "idle");
        session.sendTone(500, 1000, 0.3, 100); // "Are you still there?", one second of it

        await().atMost(WAIT).pollInterval(POLL).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0).reason()).startsWith("idle for ");
        assertThat(millis(prompted, hangups.get(0).nanoTime()))
                .as("the answer plays (1 s), then the back-off (500 ms) runs")
                .isBetween(1400L, 3000L);
        assertThat(session.events("idle"))
                .as("the answer is not a new idle period")
                .hasSize(1);
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void aTwilioBotCannotBeAskedSoTheCallerHearsTwoSoftBeepsBeforeTheHangUp() {
        TestBot bot = bot(TestBot.Dialect.TWILIO);
        call(assistant(bot, rate -> new TwilioDialect(Map.of()), Duration.ofMillis(600)), 8000, "PCMU", false);
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);

        await().atMost(WAIT).pollInterval(POLL).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0).reason()).startsWith("idle for ");
        short[] all = heardSince(0);
        int beeps = 0;
        boolean inBeep = false;
        double loudest = 0;
        for (int at = 0; at + 160 <= all.length; at += 160) {
            double power = Goertzel.relativePower(all, at, 160, 440, 8000);
            boolean loud = rms(all, at, 160) > 1000;
            if (loud && power > 0.5 && !inBeep) {
                beeps++;
            }
            inBeep = loud;
            loudest = Math.max(loudest, rms(all, at, 160));
        }
        assertThat(beeps).as("two beeps at 440 Hz").isEqualTo(2);
        assertThat(loudest).as("soft: 0.2 of full scale, an RMS of ~4600").isBetween(3500.0, 5500.0);
        session.awaitEvent("stop", WAIT);
        assertThat(session.violations()).isEmpty();
    }

    private short[] heardSince(int fromFrame) {
        List<short[]> frames = List.copyOf(heard.subList(fromFrame, heard.size()));
        int n = frames.stream().mapToInt(f -> f.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    private static double rms(short[] samples, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / length);
    }
}
