package dev.softswitch.bridge.assistant;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.MediaPort;
import dev.softswitch.assistant.Prompt;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.bridge.client.BotConnectException;
import dev.softswitch.bridge.client.BotSocket;
import dev.softswitch.bridge.client.BotSocketClosed;
import dev.softswitch.codecs.ToneGenerator;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An assistant that is a bot behind a WebSocket: each call opens a socket, speaks the bot's dialect over it, and
 * carries audio both ways. The bot's audio may arrive ahead of real time; up to {@link #PLAYOUT_FRAMES} frames of it
 * wait toward the caller.
 *
 * <p>The caller never hears dead air: when the bot cannot be reached, breaks its protocol, or drops the connection,
 * the call gets the error prompt and is hung up with the reason. A bot that closes normally (code 1000) ends the call
 * once its queued audio has played, as closing the stream does on Twilio.
 *
 * <p>A bot that stops reading (a ping left without its pong, or audio backed up, for the endpoint's stall timeout)
 * fails the call the same way, whatever it still sends: its socket is closed without waiting on it.
 *
 * <p>A call where nobody speaks for the assistant's idle timeout is prompted once (the dialect's {@link
 * BotDialect#idle} message, or the softswitch's two soft beeps when the dialect has none) and hung up when it stays
 * quiet for half the timeout more ({@link IdleWatch}).
 */
public final class WebSocketAssistant implements Assistant {

    /** 60 s of audio may wait toward the caller: bots send whole answers at once. */
    public static final int PLAYOUT_FRAMES = 3000;

    private static final Logger log = LoggerFactory.getLogger(WebSocketAssistant.class);
    private static final Duration READ_SLICE = Duration.ofMillis(20);
    /** After the bot's normal close, how long its queued audio may still play. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    private static final Prompt IDLE_TONE = idleTone();

    private final String id;
    private final BotClient client;
    private final BotEndpoint endpoint;
    private final IntFunction<BotDialect> dialects;
    private final @Nullable String greetingText;
    private final @Nullable Prompt greetingAudio;
    private final Prompt errorAudio;
    private final Duration idleTimeout;

    /**
     * @param dialects makes the adapter for one call, given the rate of the call's codec
     * @param greetingText told to the bot with the start of the call, if any
     * @param greetingAudio played to the caller as the call starts, if any
     * @param errorAudio played when the bot fails
     * @param idleTimeout how long a call may go without speech either way before the caller is prompted (and, half
     *     as long again later, hung up); zero or negative: never
     */
    public WebSocketAssistant(
            String id,
            BotClient client,
            BotEndpoint endpoint,
            IntFunction<BotDialect> dialects,
            @Nullable String greetingText,
            @Nullable Prompt greetingAudio,
            Prompt errorAudio,
            Duration idleTimeout) {
        this.id = Objects.requireNonNull(id, "id");
        this.client = client;
        this.endpoint = endpoint;
        this.dialects = dialects;
        this.greetingText = greetingText;
        this.greetingAudio = greetingAudio;
        this.errorAudio = errorAudio;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int sampleRate(int callRate) {
        return dialects.apply(callRate).sampleRate();
    }

    @Override
    public int playoutFrames() {
        return PLAYOUT_FRAMES;
    }

    @Override
    public void run(CallFacts call, MediaPort port) throws InterruptedException {
        if (greetingAudio != null) {
            for (short[] frame : greetingAudio.frames(call.sampleRate())) {
                port.offer(frame);
            }
        }
        BotDialect dialect = dialects.apply(call.codecRate());
        BotBridge bridge = new BotBridge(dialect, port, call.frameSamples());
        BotSocket socket;
        try {
            socket = client.connect(endpoint.url(), endpoint.revealedHeaders(), endpoint.connectTimeout(), bridge)
                    .get(endpoint.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof BotConnectException ? e.getCause() : e;
            fail(call, port, "bot unreachable: " + cause.getMessage());
            return;
        } catch (TimeoutException e) {
            fail(
                    call,
                    port,
                    "bot unreachable: no answer within "
                            + endpoint.connectTimeout().toMillis() + " ms");
            return;
        }
        log.info("bot connected: {} ({} Hz)", endpoint.url().getHost(), dialect.sampleRate());
        socket.watchStalls(endpoint.stallTimeout());
        socket.eventLoop().execute(() -> {
            for (Object message : dialect.start(call, greetingText)) {
                if (message instanceof String text) {
                    socket.sendText(text);
                } else {
                    socket.sendAudio(message);
                }
            }
        });
        String stalled;
        try {
            stalled = talk(call, port, socket, bridge, dialect);
        } catch (InterruptedException e) {
            // The softswitch ends the call's assistant by interrupting it: the bot still gets its stop.
            stop(socket, dialect);
            throw e;
        }
        if (stalled != null) {
            // Nothing more goes to a bot that does not read: the close frame would wait behind the backlog.
            socket.eventLoop().execute(() -> socket.close(1008, "not reading"));
            fail(call, port, "bot stopped reading: " + stalled);
        } else if (port.isOpen()) {
            ended(call, port, socket, bridge);
        } else {
            stop(socket, dialect); // the call ended (caller, softswitch or the bot's hangup)
        }
    }

    /** Tells the bot the call is over and closes its socket (1000). Never blocks. */
    private static void stop(BotSocket socket, BotDialect dialect) {
        socket.eventLoop().execute(() -> {
            String stop = dialect.stop("call ended");
            if (stop != null) {
                socket.sendText(stop);
            }
            socket.close(1000, "call ended");
        });
    }

    /**
     * Carries the caller's audio, keys and texts to the bot until the call or the socket ends, prompting and then
     * hanging up an idle call. Turns at least every 20 ms (the read's timeout), which is the idle watch's resolution.
     *
     * @return why the bot counts as no longer reading, when that ended the talk; else null
     */
    private @Nullable String talk(
            CallFacts call, MediaPort port, BotSocket socket, BotBridge bridge, BotDialect dialect)
            throws InterruptedException {
        IdleWatch idle = new IdleWatch(idleTimeout);
        while (port.isOpen() && !socket.closed().isDone()) {
            short[] frame = port.read(READ_SLICE);
            if (frame != null) {
                socket.eventLoop().execute(() -> socket.sendAudio(dialect.media(frame)));
            }
            long now = System.nanoTime();
            String stalled = socket.stalled(now);
            if (stalled != null) {
                return stalled;
            }
            if (idle.enabled()) {
                switch (idle.step(now, frame != null && IdleWatch.isSpeech(frame), port.queuedFrames() > 0)) {
                    case PROMPT -> prompt(call, port, socket, bridge, dialect);
                    case HANG_UP -> {
                        String reason = "idle for " + seconds(idle.idleMillis(now));
                        log.info("{}: hanging up", reason);
                        port.hangup(reason);
                        return null;
                    }
                    case NONE -> {}
                }
            }
            DtmfEvent key;
            while ((key = port.pollDtmf()) != null) {
                DtmfEvent k = key;
                socket.eventLoop().execute(() -> bridge.send(dialect.dtmf(k)));
            }
            String text;
            while ((text = port.pollText()) != null) {
                String t = text;
                socket.eventLoop().execute(() -> bridge.send(dialect.text(t)));
            }
        }
        return null;
    }

    /** Asks the bot to prompt the idle caller, or, when its dialect cannot, plays the prompt tone. */
    private void prompt(CallFacts call, MediaPort port, BotSocket socket, BotBridge bridge, BotDialect dialect) {
        long idleMillis = idleTimeout.toMillis();
        log.info("nobody has spoken for {} ms: prompting the caller", idleMillis);
        socket.eventLoop().execute(() -> {
            String message = dialect.idle(idleMillis);
            if (message != null) {
                bridge.send(message);
            } else {
                for (short[] f : IDLE_TONE.frames(call.sampleRate())) {
                    port.offer(f);
                }
            }
        });
    }

    /**
     * The softswitch's own "are you still there?", for dialects that cannot ask the bot: two soft 100 ms beeps at
     * 440 Hz, 100 ms apart, at 0.2 of full scale, each faded in and out over 5 ms so that it does not click.
     */
    static Prompt idleTone() {
        int rate = 16000;
        int beep = rate / 10;
        int fade = rate / 200;
        short[] out = new short[3 * beep];
        for (int start : new int[] {0, 2 * beep}) {
            short[] tone = new ToneGenerator(440, rate, 0.2).next(beep);
            for (int i = 0; i < beep; i++) {
                double gain = Math.min(1.0, Math.min(i, beep - 1 - i) / (double) fade);
                out[start + i] = (short) Math.round(tone[i] * gain);
            }
        }
        return new Prompt(out, rate);
    }

    /** Milliseconds as seconds for a log line: whole from 10 s on, else with one decimal. */
    private static String seconds(long millis) {
        return millis >= 10_000
                ? Math.round(millis / 1000.0) + " s"
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** The socket ended while the call is up: a normal close ends the call after its audio; anything else fails. */
    private void ended(CallFacts call, MediaPort port, BotSocket socket, BotBridge bridge) throws InterruptedException {
        BotSocketClosed how;
        try {
            how = socket.closed().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            how = new BotSocketClosed(true, BotSocketClosed.ABNORMAL, "");
        }
        String violation = bridge.violation();
        if (violation != null) {
            fail(call, port, "bot broke the protocol: " + violation);
        } else if (how.byBot() && how.code() == 1000) {
            log.info("bot closed the connection: {}", how.describe());
            drain(port);
            port.hangup("bot ended the call");
        } else {
            fail(call, port, "bot connection lost: " + how.describe());
        }
    }

    /** Plays the error prompt (dropping whatever the bot had queued), then hangs up as a failure. */
    private void fail(CallFacts call, MediaPort port, String reason) throws InterruptedException {
        log.warn("{}: the caller hears the error message", reason);
        port.clear();
        for (short[] frame : errorAudio.frames(call.sampleRate())) {
            port.offer(frame);
        }
        drain(port);
        port.fail(reason);
    }

    /** Waits until what is queued toward the caller has been sent, or the call ends. */
    private static void drain(MediaPort port) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (port.isOpen() && port.queuedFrames() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
