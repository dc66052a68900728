package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.MediaPort;
import dev.softswitch.assistant.PlayoutMark;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.TransferFailed;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The assistant's port on a provider call: the call's {@link QueueMediaPort}, plus the provider's own playout
 * controls. A mark the assistant places is sent on to the provider once the audio before it has been sent, and is
 * reported played only when the provider says it played (Twilio's echoed {@code mark}, Plivo's {@code playedStream});
 * a clear also empties the provider's buffer ({@code clear}, {@code clearAudio}).
 */
final class ProviderMediaPort implements MediaPort {

    private final QueueMediaPort port;
    private final ProviderSession session;

    ProviderMediaPort(QueueMediaPort port, ProviderSession session) {
        this.port = port;
        this.session = session;
    }

    @Override
    public short @Nullable [] read(Duration timeout) throws InterruptedException {
        return port.read(timeout);
    }

    @Override
    public void write(short[] frame) throws InterruptedException {
        port.write(frame);
    }

    @Override
    public boolean offer(short[] frame) {
        return port.offer(frame);
    }

    @Override
    public void mark(String name, PlayoutMark listener) {
        // Reached on the session's event loop (the pacer polls the queue there); then the provider is asked.
        port.mark(name, (n, sent) -> {
            if (sent) {
                session.markSent(n, listener);
            } else {
                listener.reached(n, false);
            }
        });
    }

    @Override
    public void sendDigits(String digits) {
        port.sendDigits(digits); // the session drops them: no provider stream here carries keys toward the caller
    }

    @Override
    public int queuedFrames() {
        return port.queuedFrames();
    }

    @Override
    public @Nullable DtmfEvent pollDtmf() {
        return port.pollDtmf();
    }

    @Override
    public @Nullable String pollText() {
        return port.pollText();
    }

    @Override
    public void clear() {
        port.clear();
        session.clearProvider();
    }

    @Override
    public void hangup(String reason) {
        port.hangup(reason);
    }

    @Override
    public void fail(String reason) {
        port.fail(reason);
    }

    @Override
    public void transfer(String target, TransferFailed failed) {
        failed.failed(target, "transfer is not available on provider calls");
    }

    @Override
    public boolean isOpen() {
        return port.isOpen();
    }
}
