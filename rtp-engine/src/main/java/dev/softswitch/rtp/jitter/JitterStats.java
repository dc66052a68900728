package dev.softswitch.rtp.jitter;

/**
 * A {@link JitterBuffer}'s counters at one moment.
 *
 * @param received frames handed to {@link JitterBuffer#put}, whatever became of them
 * @param duplicates frames dropped because the same frame was already buffered or played
 * @param late frames dropped because their play-out time had passed
 * @param lost frames concealed in the middle of a stream because theirs was missing at its play-out time (the fade
 *     after the last frame of a talkspurt is not counted, nor are frames inserted to grow the delay)
 * @param reordered frames that arrived after one with a higher sequence number (late ones included)
 * @param resets times the buffer started over: after a silence of more than 200 ms, a sender restart, or a timestamp
 *     jump
 * @param stretched frames of concealment played to make the delay a frame longer (after a late frame, or below target)
 * @param merged times two frames were played as one to make the delay a frame shorter
 * @param currentDelayMs how long a frame that took the network's fastest path waits before it is played
 * @param jitterMs the RFC 3550 A.8 interarrival jitter estimate, in milliseconds
 */
public record JitterStats(
        long received,
        long duplicates,
        long late,
        long lost,
        long reordered,
        long resets,
        long stretched,
        long merged,
        int currentDelayMs,
        double jitterMs) {

    /** Before any packet. */
    public static final JitterStats NONE = new JitterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
