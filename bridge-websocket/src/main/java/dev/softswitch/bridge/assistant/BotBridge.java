package dev.softswitch.bridge.assistant;

import dev.softswitch.assistant.FrameAssembler;
import dev.softswitch.assistant.MediaPort;
import dev.softswitch.bridge.client.BotListener;
import dev.softswitch.bridge.client.BotSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a bot's messages into actions on its call, on the socket's event loop: audio cut into 20 ms frames and queued
 * without blocking, marks placed in the queue and reported back when reached, clear, hang-up. A message that breaks
 * the dialect closes the socket with the dialect's close code; the assistant then fails the call.
 */
final class BotBridge implements BotListener, BotActions {

    private static final Logger log = LoggerFactory.getLogger(BotBridge.class);

    private final BotDialect dialect;
    private final MediaPort port;
    private final FrameAssembler framer;
    private volatile @Nullable BotSocket socket;
    private volatile @Nullable String violation;
    private long droppedFrames;

    BotBridge(BotDialect dialect, MediaPort port, int frameSamples) {
        this.dialect = dialect;
        this.port = port;
        this.framer = new FrameAssembler(frameSamples);
    }

    @Override
    public void onOpen(BotSocket socket) {
        this.socket = socket;
    }

    /** The rule the bot broke, if it broke one. */
    @Nullable
    String violation() {
        return violation;
    }

    /** Sends a message the dialect produced, if it produced one. On the event loop. */
    void send(@Nullable String message) {
        BotSocket s = socket;
        if (message != null && s != null) {
            s.sendText(message);
        }
    }

    @Override
    public void onText(String text) {
        try {
            dialect.onText(text, this);
        } catch (BotProtocolException e) {
            broken(e);
        }
    }

    @Override
    public void onBinary(byte[] data) {
        try {
            dialect.onBinary(data, this);
        } catch (BotProtocolException e) {
            broken(e);
        }
    }

    private void broken(BotProtocolException e) {
        violation = e.getMessage();
        log.warn("bot broke the protocol: {}; closing with {}", e.getMessage(), e.closeCode());
        BotSocket s = socket;
        if (s != null) {
            String reason = String.valueOf(e.getMessage());
            // RFC 6455 5.5: a control frame's payload is at most 125 bytes, two of them the code.
            s.close(e.closeCode(), reason.length() > 100 ? reason.substring(0, 100) : reason);
        }
    }

    @Override
    public void play(short[] samples) {
        framer.add(samples, this::queue);
    }

    private void queue(short[] frame) {
        if (!port.offer(frame) && port.isOpen() && droppedFrames++ == 0) {
            log.warn(
                    "bot sent more than {} s of audio ahead: dropping what does not fit",
                    WebSocketAssistant.PLAYOUT_FRAMES / 50);
        }
    }

    @Override
    public void mark(String name) {
        framer.flush(this::queue);
        BotSocket s = socket;
        port.mark(name, (n, played) -> {
            if (s != null) {
                s.eventLoop().execute(() -> send(dialect.markReached(n, played)));
            }
        });
    }

    @Override
    public void clear() {
        framer.reset();
        port.clear();
    }

    @Override
    public void hangup(String reason) {
        log.info("bot hangs up: {}", reason);
        port.hangup("bot: " + reason);
    }

    @Override
    public void sendDigits(String digits) {
        port.sendDigits(digits);
    }

    @Override
    public void reply(String message) {
        send(message);
    }

    @Override
    public void transfer(String target) {
        log.info("bot asks to transfer the caller to {}", target);
        BotSocket s = socket;
        port.transfer(target, (t, reason) -> {
            log.info("transfer to {} did not happen: {}", t, reason);
            if (s != null) {
                s.eventLoop().execute(() -> send(dialect.transferFailed(t, reason)));
            }
        });
    }
}
