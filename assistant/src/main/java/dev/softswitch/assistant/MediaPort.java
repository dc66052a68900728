package dev.softswitch.assistant;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An assistant's side of a call's audio: 20 ms frames of signed 16-bit mono PCM at {@link CallFacts#sampleRate()}
 * (the rate the assistant asked for; the port resamples to and from the call's codec rate).
 *
 * <p>Reads and writes may block the calling thread (assistants run on their own virtual thread); the media side never
 * blocks on them: when the assistant falls behind, the oldest caller audio is dropped, and when it has nothing queued
 * the caller hears silence.
 */
public interface MediaPort {

    /**
     * The next frame the caller sent, waiting up to {@code timeout}.
     *
     * @return the frame, or {@code null} when none arrived in time or the call has ended (see {@link #isOpen()})
     */
    short @Nullable [] read(Duration timeout) throws InterruptedException;

    /**
     * Queues a frame toward the caller, waiting while the queue is full (the queue drains at one frame per 20 ms, so
     * writing paces the writer). Frames written after the call ended are discarded.
     *
     * @throws IllegalArgumentException when the frame is not exactly 20 ms long
     */
    void write(short[] frame) throws InterruptedException;

    /**
     * Queues a frame toward the caller without waiting: for assistants whose audio arrives on a thread that must not
     * block (a WebSocket's event loop).
     *
     * @return false, and the frame is not queued, when the playout queue is full or the call has ended
     * @throws IllegalArgumentException when the frame is not exactly 20 ms long
     */
    boolean offer(short[] frame);

    /**
     * Places a mark after the audio queued so far. {@code listener} hears {@code played = true} once all of that audio
     * has been sent to the caller (not merely queued), or {@code played = false} when {@link #clear()} drops it or the
     * call ends first. A mark with nothing queued before it is reached on the next 20 ms tick.
     */
    void mark(String name, PlayoutMark listener);

    /**
     * Queues keys to send to the caller, in order, without waiting. Keys do not wait behind the audio queued toward the
     * caller: each goes out as soon as the key before it is done (as RFC 4733 telephone-events when the call negotiated
     * them, else as in-band tones), and the assistant's audio is held back while a key is sent. Keys past what the port
     * holds, or sent after the call ended, are dropped; {@link #clear()} does not drop them.
     *
     * @param digits any number of {@code 0-9 * # A B C D}
     * @throws IllegalArgumentException naming the first character that is not one of those; then none is queued
     */
    void sendDigits(String digits);

    /** Frames queued toward the caller and not sent yet. */
    int queuedFrames();

    /** The next key the caller pressed, or {@code null} when none is waiting. Never blocks. */
    @Nullable
    DtmfEvent pollDtmf();

    /** The next text the caller sent (SIP MESSAGE during the call), or {@code null} when none is waiting. */
    @Nullable
    String pollText();

    /**
     * Drops everything queued toward the caller and not yet sent (barge-in): the caller hears silence from the next
     * 20 ms tick on. Marks queued with the audio are reported as not played.
     */
    void clear();

    /** Asks the softswitch to end the call; the reason goes to the call record and the log. */
    void hangup(String reason);

    /**
     * Asks the softswitch to end the call because the assistant failed (its bot unreachable or gone): as
     * {@link #hangup}, and the call record says the assistant failed.
     */
    void fail(String reason);

    /**
     * Asks the softswitch to transfer the caller to {@code target} (a SIP URI, or a number dialled through the
     * caller's side): a blind transfer, REFER toward the caller (RFC 3515). When the caller's side takes it, the call
     * ends for the assistant as if hung up ("transferred"); when it refuses or the target does not answer,
     * {@code failed} hears why and the call goes on. Never blocks.
     */
    void transfer(String target, TransferFailed failed);

    /** False once the call has ended or hang-up was requested. */
    boolean isOpen();
}
