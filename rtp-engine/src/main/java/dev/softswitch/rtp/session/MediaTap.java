package dev.softswitch.rtp.session;

/**
 * Sees a call's audio both ways as it crosses its {@link MediaSession}, at the codec's audio rate (8 kHz for G.711,
 * 16 kHz for G.722) in 20 ms frames, each stamped with the pacer tick it belongs to: what call recording listens to.
 *
 * <p>Both methods run on media threads ({@link #heard} on the session's event loop, {@link #said} on the pacer
 * thread) in the middle of moving packets: they must not block, do I/O or take long; copy the frame and hand it off.
 * The array belongs to the session and its assistant: read it, never write to it or keep it.
 */
public interface MediaTap {

    /**
     * A decoded 20 ms frame from the caller, just before it goes to the assistant; {@code tick} is the pacer's current
     * tick when it arrived.
     */
    void heard(long tick, short[] frame);

    /**
     * A 20 ms frame of the assistant's audio just sent to the caller at pacer {@code tick}. Only audio the assistant
     * queued (or the in-band tones and pause of a key it sent) that really left as a packet: not the silence sent at
     * start, nor anything while we are not sending, nor keys sent as telephone-events.
     */
    void said(long tick, short[] frame);
}
