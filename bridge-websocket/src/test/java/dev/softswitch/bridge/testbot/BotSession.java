package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Pcm;
import dev.softswitch.codecs.ToneGenerator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the {@link TestBot}, from the completed handshake on. Netty's event loop records what
 * the client sends (and checks it: {@link #violations()}); the test thread reads it and sends as the bot. Reads are
 * copies, safe from any thread; sends are queued on the event loop in the order they are made.
 */
public final class BotSession {

    private static final Logger log = LoggerFactory.getLogger(BotSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Channel channel;
    private final TestBot.Dialect dialect;
    private final boolean echo;
    private final HttpHeaders requestHeaders;
    private final String path;
    private final MarkLedger marks = new MarkLedger();
    private final StreamChecker checker; // event loop only
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<MarkEcho> markEchoes = new CopyOnWriteArrayList<>();
    private final Queue<short[]> audio = new ConcurrentLinkedQueue<>();
    private final AtomicInteger audioFrames = new AtomicInteger();
    private final AtomicBoolean closeFrameSent = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile @Nullable String streamSid;
    private volatile int sampleRate;
    private volatile @Nullable Integer closeCode;
    private volatile @Nullable String closeReason;

    BotSession(Channel channel, TestBot.Dialect dialect, boolean echo, HttpHeaders requestHeaders, String path) {
        this.channel = channel;
        this.dialect = dialect;
        this.echo = echo;
        this.requestHeaders = requestHeaders.copy();
        this.path = path;
        this.checker =
                dialect == TestBot.Dialect.TWILIO ? new TwilioStreamChecker(marks) : new AudioStreamChecker(marks);
        this.sampleRate = dialect == TestBot.Dialect.TWILIO ? 8000 : 0;
    }

    // ---- what the client sent ----

    /** The headers of the HTTP upgrade request (a copy), for {@code Authorization} and the like. */
    public HttpHeaders requestHeaders() {
        return requestHeaders.copy();
    }

    /** The request target of the upgrade: path and query, as sent. */
    public String path() {
        return path;
    }

    public TestBot.Dialect dialect() {
        return dialect;
    }

    /**
     * Every text message so far, in order (a copy). Text that is not a JSON object is kept as a {@link TextNode} of
     * the raw text, so that indices match the {@code message #n} of {@link #violations()}.
     */
    public List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The wire rules broken so far, one sentence each naming the message and the rule; empty if none. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The first message whose {@code event} (Twilio) or {@code type} (audio) is {@code name}, waiting for it. */
    public JsonNode awaitEvent(String name, Duration timeout) {
        return awaitEvents(name, 1, timeout).get(0);
    }

    /** The first {@code count} messages whose {@code event} or {@code type} is {@code name}, waiting for them. */
    public List<JsonNode> awaitEvents(String name, int count, Duration timeout) {
        return awaitUntil(
                () -> {
                    List<JsonNode> found = events(name);
                    return found.size() >= count ? found.subList(0, count) : null;
                },
                timeout,
                () -> count + " message(s) \"" + name + "\"; received "
                        + BotMessages.summary(received(), dialect == TestBot.Dialect.TWILIO ? "event" : "type"));
    }

    /** Every message so far whose {@code event} (Twilio) or {@code type} (audio) is {@code name}. */
    public List<JsonNode> events(String name) {
        String key = dialect == TestBot.Dialect.TWILIO ? "event" : "type";
        return received().stream()
                .filter(m -> m.path(key).asText("").equals(name))
                .toList();
    }

    /**
     * All inbound audio so far as 16-bit PCM at {@link #sampleRate()}: Twilio media payloads mu-law decoded at 8 kHz,
     * or the audio dialect's binary frames as sent.
     */
    public short[] receivedAudio() {
        List<short[]> frames = List.copyOf(audio);
        int length = frames.stream().mapToInt(f -> f.length).sum();
        short[] all = new short[length];
        int at = 0;
        for (short[] frame : frames) {
            System.arraycopy(frame, 0, all, at, frame.length);
            at += frame.length;
        }
        return all;
    }

    /** How many audio frames arrived: Twilio {@code media} messages with a payload, or audio binary frames. */
    public int receivedAudioFrames() {
        return audioFrames.get();
    }

    /** Waits until at least {@code count} audio frames have arrived. */
    public void awaitAudioFrames(int count, Duration timeout) {
        awaitUntil(
                () -> audioFrames.get() >= count ? Boolean.TRUE : null,
                timeout,
                () -> count + " audio frames; received " + audioFrames.get());
    }

    /** The Twilio {@code streamSid} from {@code start}; null before it (and in the audio dialect). */
    public @Nullable String streamSid() {
        return streamSid;
    }

    /** The audio rate both ways: 8000 for Twilio, the start's {@code sample_rate} for audio (0 before it). */
    public int sampleRate() {
        return sampleRate;
    }

    /** Every {@code mark} the client sent, valid or not, in order. */
    public List<MarkEcho> markEchoes() {
        return List.copyOf(markEchoes);
    }

    /** The status code of the close frame the client sent (its reply to {@link #close} included); 1005 if empty. */
    public Optional<Integer> closeCode() {
        return Optional.ofNullable(closeCode);
    }

    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Waits until the TCP connection is closed, by either side. */
    public void awaitClosed(Duration timeout) {
        try {
            if (!closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("the session to " + path + " is still open after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the session to close", e);
        }
    }

    // ---- sending as the bot ----

    /**
     * One frame of audio: Twilio, a {@code media} message of mu-law in base64 (needs the start first); audio, one
     * binary frame of little-endian PCM.
     */
    public void sendMedia(short[] pcm) {
        if (dialect == TestBot.Dialect.TWILIO) {
            sendJson(BotMessages.twilioMedia(twilioStreamSid(), pcm));
        } else {
            sendBinary(Pcm.toLittleEndian(pcm));
        }
    }

    /**
     * A sine tone of {@code millis} ms at {@link #sampleRate()}, in {@link #sendMedia} chunks of {@code chunkMillis}
     * ms (the last may be shorter), all at once: bots send ahead of real time.
     */
    public void sendTone(double hz, int millis, double amplitude, int chunkMillis) {
        int rate = sampleRate;
        if (rate == 0) {
            throw new IllegalStateException("no start message yet, so no sample rate: await \"start\" first");
        }
        ToneGenerator tone = new ToneGenerator(hz, rate, amplitude);
        int total = (int) ((long) rate * millis / 1000);
        int chunk = Math.max(1, (int) ((long) rate * chunkMillis / 1000));
        for (int sent = 0; sent < total; sent += chunk) {
            sendMedia(tone.next(Math.min(chunk, total - sent)));
        }
    }

    /** A {@code mark}; the client should send it back once, when the audio before it has played. */
    public void sendMark(String name) {
        marks.sent(name); // before the write, so that the echo always finds it
        sendJson(
                dialect == TestBot.Dialect.TWILIO
                        ? BotMessages.twilioMark(twilioStreamSid(), name)
                        : BotMessages.audio("mark", "name", name));
    }

    /** {@code clear}: the client drops the audio it has not played yet. */
    public void sendClear() {
        sendJson(
                dialect == TestBot.Dialect.TWILIO
                        ? BotMessages.twilioClear(twilioStreamSid())
                        : BotMessages.audio("clear"));
    }

    /** Audio dialect: {@code hangup}. */
    public void sendHangup(String reason) {
        sendJson(BotMessages.audio(audioOnly("hangup"), "reason", reason));
    }

    /** Audio dialect: {@code dtmf}, digits for the softswitch to send to the caller. */
    public void sendDtmf(String digits) {
        sendJson(BotMessages.audio(audioOnly("dtmf"), "digits", digits));
    }

    /** Audio dialect: {@code transfer}. */
    public void sendTransfer(String to) {
        sendJson(BotMessages.audio(audioOnly("transfer"), "to", to));
    }

    /** Any text frame, as is: for messages this class does not build, well-formed or not. */
    public void sendJson(String raw) {
        write(new TextWebSocketFrame(raw));
    }

    /** Any binary frame, as is. */
    public void sendBinary(byte[] data) {
        write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }

    /**
     * Starts the closing handshake (RFC 6455 7.1.2): a close frame with {@code code} and {@code reason}; the TCP
     * connection closes when the client answers with its own, or after two seconds.
     */
    public void close(int code, String reason) {
        if (closeFrameSent.compareAndSet(false, true)) {
            write(new CloseWebSocketFrame(code, reason));
            ScheduledFuture<?> force =
                    channel.eventLoop().schedule(this::closeChannel, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> force.cancel(false));
        }
    }

    /** Drops the TCP connection with no close frame, as a crashed bot would. */
    public void abort() {
        closeChannel();
    }

    @Override
    public String toString() {
        return "BotSession(" + dialect + " " + path + ", " + received.size() + " messages, " + audioFrames.get()
                + " audio frames)";
    }

    // ---- called on the event loop by BotFrameHandler ----

    void onText(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            message = TextNode.valueOf(text);
        }
        if (!message.isObject()) {
            message = TextNode.valueOf(text);
        }
        violations.addAll(checker.onText(message));
        if (dialect == TestBot.Dialect.TWILIO) {
            onTwilio(message);
        } else {
            onAudioDialect(message);
        }
        received.add(message); // last: whoever sees the message also sees what it caused
    }

    void onBinary(byte[] data) {
        violations.addAll(checker.onBinary(data.length));
        if (dialect == TestBot.Dialect.AUDIO) {
            audio.add(Pcm.fromLittleEndian(data, 0, data.length & ~1));
            audioFrames.incrementAndGet();
            if (echo) {
                sendBinary(data);
            }
        }
    }

    void onCloseFrame(int code, String reason) {
        closeCode = code < 0 ? 1005 : code; // RFC 6455 7.1.5: 1005, no status code in the frame
        closeReason = reason;
        if (closeFrameSent.compareAndSet(false, true)) {
            // RFC 6455 5.5.1: answer with a close frame, usually echoing the status code, then close
            CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
            channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        } else {
            closeChannel();
        }
    }

    void onProtocolError(Throwable cause) {
        violations.add("WebSocket framing: " + cause);
    }

    void onInactive() {
        closed.countDown();
    }

    private void onTwilio(JsonNode message) {
        switch (message.path("event").asText("")) {
            case "start" -> {
                if (streamSid == null && message.path("start").path("streamSid").isTextual()) {
                    streamSid = message.path("start").path("streamSid").asText();
                }
            }
            case "media" -> {
                byte[] ulaw;
                try {
                    ulaw = Base64.getDecoder()
                            .decode(message.path("media").path("payload").asText(""));
                } catch (IllegalArgumentException e) {
                    return; // a violation already
                }
                short[] pcm = new short[ulaw.length];
                G711.decodeUlaw(ulaw, 0, pcm, 0, ulaw.length);
                audio.add(pcm);
                audioFrames.incrementAndGet();
                String sid = streamSid;
                if (echo && sid != null) {
                    sendJson(BotMessages.twilioMediaPayload(
                            sid, message.path("media").path("payload").asText()));
                }
            }
            case "mark" -> {
                JsonNode name = message.path("mark").path("name");
                if (name.isTextual()) {
                    markEchoes.add(new MarkEcho(name.asText(), System.nanoTime(), Optional.empty()));
                }
            }
            default -> {}
        }
    }

    private void onAudioDialect(JsonNode message) {
        switch (message.path("type").asText("")) {
            case "start" -> {
                int rate = message.path("audio").path("sample_rate").asInt(0);
                if (sampleRate == 0 && (rate == 8000 || rate == 16000 || rate == 24000)) {
                    sampleRate = rate;
                }
            }
            case "mark" -> {
                JsonNode name = message.path("name");
                JsonNode played = message.path("played");
                if (name.isTextual()) {
                    markEchoes.add(new MarkEcho(
                            name.asText(),
                            System.nanoTime(),
                            played.isBoolean() ? Optional.of(played.booleanValue()) : Optional.empty()));
                }
            }
            default -> {}
        }
    }

    /** The start's streamSid, which every message to Twilio carries (providers.md 1.3). */
    private String twilioStreamSid() {
        String sid = streamSid;
        if (sid == null) {
            throw new IllegalStateException("no Twilio start yet, so no streamSid: await \"start\" first");
        }
        return sid;
    }

    private String audioOnly(String type) {
        if (dialect != TestBot.Dialect.AUDIO) {
            throw new IllegalStateException("\"" + type + "\" is a message of the audio dialect, not of " + dialect);
        }
        return type;
    }

    /** The frame goes to Netty, which releases it once written, or at once if the channel is closed. */
    private void write(WebSocketFrame frame) {
        channel.writeAndFlush(frame).addListener(written -> {
            if (!written.isSuccess()) {
                log.debug("{} not sent on {}: {}", frame.getClass().getSimpleName(), this, written.cause());
            }
        });
    }

    /** Closes the TCP connection without a close frame; {@link #onInactive} sees it end. */
    private void closeChannel() {
        ChannelFuture unused = channel.close();
    }

    private <T> T awaitUntil(Supplier<@Nullable T> condition, Duration timeout, Supplier<String> what) {
        return Waiting.until(condition, timeout, () -> "no " + what.get() + " within " + timeout + " on " + this);
    }
}
