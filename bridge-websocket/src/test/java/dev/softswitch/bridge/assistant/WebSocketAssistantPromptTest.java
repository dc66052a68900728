package dev.softswitch.bridge.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.Prompt;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The softswitch's own recordings on a bot's call, against a real WebSocket bot on 127.0.0.1, the port driven by a
 * 20 ms ticker that plays the pacer (as in {@link WebSocketAssistantTest}): the greeting is heard first, before the
 * bot's audio and even before the bot has answered; the error message is what a caller hears when the bot cannot be
 * reached or drops the call, and nothing of what the bot had queued is heard after it.
 */
class WebSocketAssistantPromptTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int RATE = 8000;
    private static final int FRAME = RATE / 50;

    private static final double GREETING_HZ = 700;
    private static final double BOT_HZ = 500;
    private static final double ERROR_HZ = 1200;
    /** 600 ms at 16 kHz: on an 8 kHz call, 30 frames. */
    private static final Prompt GREETING = new Prompt(new ToneGenerator(GREETING_HZ, 16000, 0.3).next(9600), 16000);

    private static final int GREETING_FRAMES = 30;
    /** 400 ms at 8 kHz: 20 frames. */
    private static final Prompt ERROR = new Prompt(new ToneGenerator(ERROR_HZ, 8000, 0.3).next(3200), 8000);

    private static final int ERROR_FRAMES = 20;

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

    private TestBot bot(TestBot.Behaviour behaviour) {
        TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, behaviour);
        bots.add(bot);
        return bot;
    }

    private WebSocketAssistant assistant(URI url, Duration connectTimeout, @Nullable Prompt greeting) {
        return new WebSocketAssistant(
                "bot",
                client,
                new BotEndpoint(url, Map.of(), connectTimeout),
                rate -> new TwilioDialect(Map.of()),
                null,
                greeting,
                ERROR,
                Duration.ZERO);
    }

    /** One 8 kHz PCMU call, the caller sending a 1000 Hz tone, the ticker taking what the caller hears. */
    private QueueMediaPort call(WebSocketAssistant assistant) {
        QueueMediaPort[] holder = new QueueMediaPort[1];
        QueueMediaPort port =
                QueueMediaPort.between(RATE, assistant.sampleRate(RATE), assistant.playoutFrames(), reason -> {
                    hangups.add((holder[0].failed() ? "failed: " : "") + reason);
                });
        holder[0] = port;
        ToneGenerator caller = new ToneGenerator(1000, RATE, 0.3);
        ticker.scheduleAtFixedRate(
                () -> {
                    port.offerFromCaller(caller.next(FRAME));
                    short[] out = port.pollToCaller();
                    heard.add(out == null ? new short[FRAME] : out);
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        CallFacts facts = new CallFacts("call-1", "sip:alice@pbx", "sip:bot@softswitch", assistant.id(), "PCMU", RATE);
        Future<?> running = AssistantRunner.start(assistant, facts, port, workers);
        assertThat(running).isNotNull();
        return port;
    }

    private static URI closedPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        return URI.create("ws://127.0.0.1:" + closed + "/bot");
    }

    /** The frames heard that were not silence, in order. */
    private List<short[]> sounds() {
        return heard.stream().filter(f -> !isSilent(f)).toList();
    }

    private int firstSound() {
        for (int i = 0; i < heard.size(); i++) {
            if (!isSilent(heard.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSilent(short[] frame) {
        for (short s : frame) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    private static short[] join(List<short[]> frames) {
        short[] all = new short[frames.stream().mapToInt(f -> f.length).sum()];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    private static double share(List<short[]> frames, double hz) {
        short[] all = join(frames);
        return Goertzel.relativePower(all, 0, all.length, hz, RATE);
    }

    /** Which of the three tones one 20 ms frame is mostly made of: 'G'reeting, 'B'ot, 'E'rror, '.' silence, '?'. */
    private static char classify(short[] frame) {
        if (isSilent(frame)) {
            return '.';
        }
        if (Goertzel.relativePower(frame, 0, frame.length, GREETING_HZ, RATE) > 0.6) {
            return 'G';
        }
        if (Goertzel.relativePower(frame, 0, frame.length, BOT_HZ, RATE) > 0.6) {
            return 'B';
        }
        if (Goertzel.relativePower(frame, 0, frame.length, ERROR_HZ, RATE) > 0.6) {
            return 'E';
        }
        return '?';
    }

    /** What the caller heard, a character per 20 ms frame: for the assertions and their messages. */
    private String timeline() {
        StringBuilder out = new StringBuilder();
        for (short[] frame : List.copyOf(heard)) {
            out.append(classify(frame));
        }
        return out.toString();
    }

    @Test
    void theGreetingRecordingIsHeardFirstThenTheBot() {
        TestBot bot = bot(TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), WAIT, GREETING));
        BotSession session = bot.awaitSession(WAIT);
        var start = session.awaitEvent("start", WAIT);
        assertThat(start.get("start").get("customParameters").has("greeting"))
                .as("a recorded greeting is played by the softswitch, not told to the bot")
                .isFalse();
        session.sendTone(BOT_HZ, 1000, 0.3, 100);

        await().atMost(WAIT).until(() -> sounds().size() >= GREETING_FRAMES + 40);

        int first = firstSound();
        List<short[]> greeting = List.copyOf(heard.subList(first, first + GREETING_FRAMES - 1)); // last one is padded
        assertThat(share(greeting, GREETING_HZ))
                .as("the first ~600 ms heard are the 700 Hz greeting: %s", timeline())
                .isGreaterThan(0.9);
        assertThat(share(greeting, BOT_HZ))
                .as("no bot audio inside the greeting")
                .isLessThan(0.01);
        List<short[]> after = heard.subList(first + GREETING_FRAMES + 1, heard.size()).stream()
                .filter(f -> !isSilent(f))
                .toList();
        assertThat(after).hasSizeGreaterThanOrEqualTo(30);
        assertThat(share(after, BOT_HZ)).as("then the bot: %s", timeline()).isGreaterThan(0.9);
        assertThat(share(after, GREETING_HZ)).isLessThan(0.01);
        assertThat(timeline())
                .as("greeting, then the bot, never the other way round")
                .matches("\\.*G{" + (GREETING_FRAMES - 1) + "}[G?]\\.*[B?]B+.*")
                .doesNotContain("BG");
        assertThat(hangups).isEmpty();
        assertThat(session.violations()).isEmpty();
    }

    @Test
    void theGreetingPlaysWhileTheBotHasNotAnsweredYet() {
        TestBot bot = bot(TestBot.Behaviour.NO_HANDSHAKE);
        call(assistant(bot.url(), Duration.ofSeconds(2), GREETING));

        await().atMost(WAIT).until(() -> sounds().size() >= GREETING_FRAMES);
        assertThat(hangups).as("the bot has not answered (nor failed) yet").isEmpty();
        assertThat(bot.sessions()).isEmpty();
        List<short[]> greeting = sounds().subList(0, GREETING_FRAMES - 1);
        assertThat(share(greeting, GREETING_HZ)).isGreaterThan(0.9);

        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups.get(0)).startsWith("failed: bot unreachable").contains("no answer within 2000 ms");
        await().atMost(WAIT).until(() -> sounds().size() >= GREETING_FRAMES + ERROR_FRAMES);
        assertThat(timeline()).matches("\\.*G{" + (GREETING_FRAMES - 1) + "}[G?]\\.+E{" + ERROR_FRAMES + "}\\.*");
    }

    @Test
    void anUnreachableBotGetsTheErrorRecordingThenAFailedHangUp() throws Exception {
        URI url = closedPort();
        call(assistant(url, WAIT, null));

        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups)
                .singleElement()
                .asString()
                .startsWith("failed: bot unreachable: bot " + url + ": cannot connect");
        await().atMost(WAIT).until(() -> sounds().size() >= ERROR_FRAMES);
        List<short[]> sounds = sounds();
        assertThat(sounds)
                .as("the whole 400 ms message, nothing else: %s", timeline())
                .hasSize(ERROR_FRAMES);
        assertThat(share(sounds, ERROR_HZ)).isGreaterThan(0.9);
        assertThat(timeline()).matches("\\.*E{" + ERROR_FRAMES + "}\\.*");
    }

    @Test
    void aBotThatDropsTheCallMidAnswerIsCutOffByTheErrorRecording() {
        TestBot bot = bot(TestBot.Behaviour.SILENT);
        call(assistant(bot.url(), WAIT, null));
        BotSession session = bot.awaitSession(WAIT);
        session.awaitEvent("start", WAIT);
        session.sendTone(BOT_HZ, 2000, 0.3, 100); // 2 s, all at once: 100 frames queued toward the caller
        await().atMost(WAIT).until(() -> timeline().contains("BB"));

        int droppedAt = heard.size();
        session.abort();

        await().atMost(WAIT).until(() -> !hangups.isEmpty());
        assertThat(hangups).containsExactly("failed: bot connection lost: 1006 (no close frame)");
        await().atMost(WAIT).until(() -> timeline().contains("E".repeat(ERROR_FRAMES)));
        String timeline = timeline();
        String afterDrop = timeline.substring(droppedAt);
        int errorAt = afterDrop.indexOf('E');
        assertThat(errorAt)
                .as("the error message follows the drop at once (frames after it): %s", timeline)
                .isBetween(0, 10);
        assertThat(afterDrop.substring(errorAt))
                .as("the whole message, then silence: none of the bot's queued audio after it")
                .matches("E{" + ERROR_FRAMES + "}\\.*");
        assertThat(timeline.chars().filter(c -> c == 'B').count())
                .as("most of the bot's 2 s (100 frames) was dropped, not played: %s", timeline)
                .isLessThan(40);
    }
}
