package dev.softswitch.assistant;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An assistant's side of a call's audio: 20 ms frames of signed 16-bit mono PCM at {@link CallFacts#sampleRate()}.
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

    /** The next key the caller pressed, or {@code null} when none is waiting. Never blocks. */
    @Nullable
    DtmfEvent pollDtmf();

    /** The next text the caller sent (SIP MESSAGE during the call), or {@code null} when none is waiting. */
    @Nullable
    String pollText();

    /** Drops everything queued toward the caller and not yet sent (barge-in). */
    void clear();

    /** Asks the softswitch to end the call; the reason goes to the call record and the log. */
    void hangup(String reason);

    /** False once the call has ended or hang-up was requested. */
    boolean isOpen();
}
