package dev.softswitch.rtp.jitter;

import org.jspecify.annotations.Nullable;

/**
 * An adaptive jitter buffer for one call's inbound audio: decoded 20 ms frames are {@linkplain #put put} as they arrive,
 * in whatever order the network delivers them, and a consumer {@linkplain #poll polls} once every 20 ms for the next
 * frame in order.
 *
 * <p>A talkspurt starts when a frame arrives at an idle buffer; polls return null until that frame has waited the target
 * delay, and from then on each poll plays one frame: the next one in timestamp order if it is here, else a concealment
 * frame (see {@link Concealer}). Frames that come after their play-out time are dropped as late, repeats as duplicates.
 * When nothing has arrived for more than 200 ms and nothing is left to play, the talkspurt ends: polls return null again
 * (after the last output has faded) and the next frame starts a new talkspurt. A sender restart (RFC 3550 A.1: a
 * sequence jump of more than 100 back or 3000 forward, confirmed by the next packet) or a timestamp jump with
 * consecutive sequence numbers starts the stream over.
 *
 * <p>The target delay comes from {@link DelayEstimator}. It is applied when a talkspurt starts and, during one, by
 * inserting a concealment frame when the delay is short of the target (at once after a late frame, else
 * at a quiet moment or after half a second), and by playing two frames merged into one when the delay exceeds the target
 * by a frame (20 ms) or more for over half a second (at a quiet frame, or after a second), by two frames or more for
 * over 100 ms (at a quiet frame, or after 200 ms), or by 100 ms or more. Play-out
 * happens at the polls, so the delay is whatever the target allows on the consumer's 20 ms grid: polls phased
 * {@link #PLAYOUT_LEAD_NANOS} after the arrivals make it the target itself. So on a clean network a call starts at
 * the initial 30 ms and settles at the 10 ms minimum within a few seconds.
 *
 * <p>Not thread-safe: confined to one thread, like the rest of a call's receive path. {@code put} and {@code poll}
 * allocate nothing: frames are copied into preallocated slots, and {@code poll} returns an array that belongs to the
 * buffer and is overwritten by the next {@code poll}; a consumer that keeps frames (a queue) must copy it.
 * Times are {@link System#nanoTime()}-style readings passed in by the caller.
 */
public final class JitterBuffer {

    public static final long FRAME_NANOS = 20 * DelayEstimator.NANOS_PER_MS;
    /**
     * When a consumer's 20 ms polls should fall, after the arrival of a stream's first frame: the least delay, plus a
     * millisecond so that a slightly faster frame later does not count as short of it. Frames then wait as little as
     * the buffer allows, where polls on any other grid would add up to a frame more.
     */
    public static final long PLAYOUT_LEAD_NANOS = (DelayEstimator.MIN_MS + 1) * DelayEstimator.NANOS_PER_MS;
    /** No arrivals for longer than this, and nothing left to play: the talkspurt has ended. */
    static final long SILENCE_NANOS = 200 * DelayEstimator.NANOS_PER_MS;
    /** Frames held: 640 ms, enough for the largest delay and a burst on top. */
    static final int CAPACITY = 32;
    /** RFC 3550 A.1: a jump back further than this is a restarted sender. */
    private static final int MAX_MISORDER = 100;
    /** RFC 3550 A.1: a jump forward further than this is a restarted sender. */
    private static final int MAX_DROPOUT = 3000;
    /** While a talkspurt is still waiting to start, a frame this many frames earlier than the first one moves it back. */
    private static final int MAX_PRIMING_BACKSTEP = 5;

    /** A frame's worth over the target, held for half a second, is given back: what a talkspurt's 30 ms start leaves. */
    private static final long SHRINK_EXCESS_NANOS = FRAME_NANOS;

    private static final long FAST_SHRINK_EXCESS_NANOS = 100 * DelayEstimator.NANOS_PER_MS;
    private static final long ADJUST_HOLD_NANOS = 500 * DelayEstimator.NANOS_PER_MS;
    /** Two frames or more over the target (what a pause of the path or of this host leaves) are given back faster. */
    private static final long FAST_ADJUST_HOLD_NANOS = 100 * DelayEstimator.NANOS_PER_MS;

    private enum State {
        IDLE,
        PRIMING,
        PLAYING
    }

    private final int frameSamples;
    private final int timestampIncrement;
    private final FrameRing ring;
    private final DelayEstimator delay = new DelayEstimator();
    private final Concealer concealer;
    private final short[] out;

    private State state = State.IDLE;
    private boolean streamKnown;
    private int highestSequence;
    private long lastTimestamp;
    private long extendedTimestamp;
    private long timestampOrigin;
    private long playIndex = Long.MIN_VALUE;
    private long highestIndex = Long.MIN_VALUE;
    private long playStartNanos;
    private long lastArrivalNanos;
    private long lastPollNanos;
    private int pendingLost;

    private boolean lateSinceGrow;
    private boolean belowTarget;
    private long belowSince;
    private boolean aboveTarget;
    private long aboveSince;

    private final short[] probation;
    private boolean onProbation;
    private int probationSequence;
    private long probationTimestamp;
    private long probationArrival;

    private long received;
    private long duplicates;
    private long late;
    private long lost;
    private long reordered;
    private long resets;
    private long stretched;
    private long merged;
    private int currentDelayMs = DelayEstimator.INITIAL_MS;

    /**
     * @param frameSamples audio samples in each 20 ms frame ({@code CodecInfo.samplesPerFrame(20)})
     * @param frameTimestampIncrement RTP timestamp units in 20 ms ({@code CodecInfo.rtpTimestampIncrement(20)})
     */
    public JitterBuffer(int frameSamples, int frameTimestampIncrement) {
        if (frameSamples <= 0 || frameTimestampIncrement <= 0) {
            throw new IllegalArgumentException("frame sizes must be positive: " + frameSamples + " samples, "
                    + frameTimestampIncrement + " ticks");
        }
        this.frameSamples = frameSamples;
        this.timestampIncrement = frameTimestampIncrement;
        this.ring = new FrameRing(CAPACITY, frameSamples);
        this.concealer = new Concealer(frameSamples);
        this.out = new short[frameSamples];
        this.probation = new short[frameSamples];
    }

    /**
     * Takes one decoded 20 ms frame; the buffer copies it, so the caller may reuse {@code pcm20ms}.
     *
     * @param sequence the RTP sequence number (16 bits)
     * @param rtpTimestamp the RTP timestamp of the frame's first sample (32 bits, unsigned)
     * @param pcm20ms exactly {@code frameSamples} samples
     * @param nowNanos when the packet arrived
     */
    public void put(int sequence, long rtpTimestamp, short[] pcm20ms, long nowNanos) {
        if (pcm20ms.length != frameSamples) {
            throw new IllegalArgumentException("expected " + frameSamples + " samples, got " + pcm20ms.length);
        }
        received++;
        int seq = sequence & 0xffff;
        long ts = rtpTimestamp & 0xffff_ffffL;
        if (state != State.IDLE && nowNanos - lastArrivalNanos > SILENCE_NANOS && highestIndex < playIndex) {
            endTalkspurt();
        }
        if (!streamKnown) {
            startStream(seq, ts);
        } else {
            int jump = (short) (seq - highestSequence); // RFC 3550 A.1: distance modulo 2^16
            if (jump < -MAX_MISORDER || jump > MAX_DROPOUT) {
                if (onProbation && seq == ((probationSequence + 1) & 0xffff)) {
                    // RFC 3550 A.1: two sequential packets confirm a restarted sender.
                    onProbation = false;
                    restartStream(probationSequence, probationTimestamp, probationArrival);
                    accept(probationSequence, probationTimestamp, probation, probationArrival);
                    accept(seq, ts, pcm20ms, nowNanos);
                } else {
                    onProbation = true;
                    probationSequence = seq;
                    probationTimestamp = ts;
                    probationArrival = nowNanos;
                    System.arraycopy(pcm20ms, 0, probation, 0, frameSamples);
                }
                return;
            }
        }
        onProbation = false;
        accept(seq, ts, pcm20ms, nowNanos);
    }

    /**
     * The frame to play now, or null while a talkspurt is waiting to start or after one has ended. Call once per 20 ms.
     * The array belongs to the buffer and is overwritten by the next call.
     */
    public short @Nullable [] poll(long nowNanos) {
        lastPollNanos = nowNanos;
        if (state == State.IDLE) {
            return concealer.tail(out);
        }
        if (state == State.PRIMING) {
            if (nowNanos - playStartNanos < 0) {
                return concealer.tail(out);
            }
            state = State.PLAYING;
            belowTarget = false;
            aboveTarget = false;
            lateSinceGrow = false;
        }
        if (highestIndex < playIndex && nowNanos - lastArrivalNanos > SILENCE_NANOS) {
            endTalkspurt();
            return concealer.tail(out);
        }
        long delayNanos = nowNanos - mediaNanos(playIndex) - delay.minTransit();
        currentDelayMs = (int) Math.round((double) delayNanos / DelayEstimator.NANOS_PER_MS);
        long targetNanos = delay.targetMs(nowNanos) * DelayEstimator.NANOS_PER_MS;
        if (shouldGrow(targetNanos - delayNanos, nowNanos)) {
            stretched++;
            concealer.conceal(out); // play-out waits one frame longer
            return out;
        }
        short[] frame = ring.get(playIndex);
        if (frame == null) {
            concealer.conceal(out);
            pendingLost++;
            playIndex++;
            return out;
        }
        lost += pendingLost; // the stream went on: what was concealed was a gap, not the end of a talkspurt
        pendingLost = 0;
        short[] next = ring.get(playIndex + 1);
        if (next != null && shouldShrink(delayNanos - targetNanos, frame, nowNanos)) {
            concealer.merge(frame, next, out);
            merged++;
            playIndex += 2;
        } else {
            concealer.play(frame, out);
            playIndex++;
        }
        return out;
    }

    /**
     * Whether the next poll would conceal a missing frame in a playing talkspurt (rather than play a frame, or wait
     * for one to start): what a consumer whose poll comes late, after a pause of this host, can hold off for a period,
     * since the frame is most likely in the socket, read after the pause like the poll.
     */
    public boolean nextIsMissing() {
        return state == State.PLAYING && !ring.holds(playIndex);
    }

    /**
     * An instant, modulo 20 ms, at which polls make the delay the current target (plus the lead's spare millisecond,
     * as {@link #PLAYOUT_LEAD_NANOS} does for the least one): the fastest recent transit plus the target. A consumer
     * that moves its polls there waits for frames no longer than the path's jitter asks, to the millisecond, where
     * whole frames stretched in or merged out can only step the delay by 20 ms. {@link Long#MIN_VALUE} until a
     * talkspurt plays.
     */
    public long playOutInstant(long nowNanos) {
        if (state != State.PLAYING) {
            return Long.MIN_VALUE;
        }
        return delay.minTransit() + (delay.targetMs(nowNanos) + 1) * DelayEstimator.NANOS_PER_MS;
    }

    public JitterStats stats() {
        return new JitterStats(
                received,
                duplicates,
                late,
                lost,
                reordered,
                resets,
                stretched,
                merged,
                currentDelayMs,
                delay.jitterMs());
    }

    @Override
    public String toString() {
        return "JitterBuffer(adaptive " + DelayEstimator.MIN_MS + "-" + DelayEstimator.MAX_MS + " ms, " + frameSamples
                + " samples per 20 ms)";
    }

    private void accept(int seq, long ts, short[] pcm, long nowNanos) {
        int jump = (short) (seq - highestSequence);
        long index = frameIndex(ts);
        if (state != State.IDLE && jump > 0 && (index >= playIndex + CAPACITY || index < playIndex - MAX_MISORDER)) {
            // Sequence numbers go on but the timestamps jumped: a new timeline (a switched source, say).
            restartStream(seq, ts, nowNanos);
            index = frameIndex(ts);
        }
        if (state == State.IDLE && jump > 0 && index < playIndex) {
            // A new talkspurt whose timestamps did not move on over the silence (RFC 3551 says they should): the
            // frames and transits of the old timeline mean nothing to it.
            ring.clear();
            delay.restartTimeline();
        }
        if (jump > 0) {
            highestSequence = seq;
        }
        lastArrivalNanos = nowNanos;
        long relative = delay.arrival(mediaNanos(index), nowNanos);
        if (state == State.IDLE && relative > SILENCE_NANOS) {
            // Much slower than the fastest frames before the silence: a shifted timeline rather than one slow frame.
            delay.restartTimeline();
            relative = delay.arrival(mediaNanos(index), nowNanos);
        }
        if (ring.holds(index)) {
            duplicates++;
            return;
        }
        if (jump < 0) {
            reordered++;
        }
        if (state == State.IDLE && (index >= playIndex || jump > 0)) {
            startTalkspurt(index, pcm, relative, nowNanos);
        } else if (state == State.PRIMING && index < playIndex && playIndex - index <= MAX_PRIMING_BACKSTEP) {
            ring.store(index, pcm); // arrived out of order before play-out began: it goes first
            playIndex = index;
        } else if (index < playIndex) {
            late++;
            delay.late(relative, nowNanos);
            lateSinceGrow = true;
        } else if (index < playIndex + CAPACITY) {
            ring.store(index, pcm);
            highestIndex = Math.max(highestIndex, index);
        }
        // else: far ahead of play-out with an older sequence number: nothing sensible to do with it
    }

    private void startTalkspurt(long index, short[] pcm, long relativeNanos, long nowNanos) {
        state = State.PRIMING;
        ring.store(index, pcm);
        playIndex = index;
        highestIndex = index;
        pendingLost = 0;
        // Wait for the target delay, less what this frame already lost on the way compared with the fastest frames.
        long wait = delay.targetMs(nowNanos) * DelayEstimator.NANOS_PER_MS - relativeNanos;
        playStartNanos = nowNanos + Math.max(0, wait);
    }

    private void endTalkspurt() {
        state = State.IDLE;
        pendingLost = 0; // the fade after the last frame was not a loss
        resets++;
    }

    private void startStream(int seq, long ts) {
        streamKnown = true;
        highestSequence = seq;
        lastTimestamp = ts;
        extendedTimestamp = ts;
        timestampOrigin = ts;
    }

    /**
     * Follows a sender that started over with new sequence numbers and timestamps. While a talkspurt is on, the new
     * timeline is laid after the old one: what is buffered still plays, and the new stream's first frame (which arrived
     * at {@code arrivalNanos}) is due the target delay after it arrived, so play-out goes on without a break.
     */
    private void restartStream(int seq, long ts, long arrivalNanos) {
        resets++;
        startStream(seq, ts);
        if (state == State.IDLE) {
            ring.clear();
            delay.restartTimeline();
            playIndex = Long.MIN_VALUE;
            highestIndex = Long.MIN_VALUE;
            return;
        }
        long nextPlayNanos = state == State.PRIMING ? playStartNanos : lastPollNanos + FRAME_NANOS;
        long dueNanos = arrivalNanos + delay.targetMs(arrivalNanos) * DelayEstimator.NANOS_PER_MS;
        long first = Math.max(
                highestIndex + 1, playIndex + Math.max(0, Math.ceilDiv(dueNanos - nextPlayNanos, FRAME_NANOS)));
        timestampOrigin = ts - first * timestampIncrement;
    }

    /** Frames since the stream's first timestamp, from the timestamp extended past its 32-bit wrap. */
    private long frameIndex(long ts) {
        extendedTimestamp += (int) (ts - lastTimestamp);
        lastTimestamp = ts;
        return Math.floorDiv(extendedTimestamp - timestampOrigin + timestampIncrement / 2, timestampIncrement);
    }

    private static long mediaNanos(long index) {
        return index * FRAME_NANOS;
    }

    private boolean shouldGrow(long shortfallNanos, long nowNanos) {
        if (shortfallNanos <= 0) {
            belowTarget = false;
            lateSinceGrow = false;
            return false;
        }
        if (!belowTarget) {
            belowTarget = true;
            belowSince = nowNanos;
        }
        if (lateSinceGrow || concealer.lastWasQuiet() || nowNanos - belowSince >= ADJUST_HOLD_NANOS) {
            belowSince = nowNanos;
            return true;
        }
        return false;
    }

    private boolean shouldShrink(long excessNanos, short[] frame, long nowNanos) {
        if (excessNanos < SHRINK_EXCESS_NANOS) {
            aboveTarget = false;
            return false;
        }
        if (excessNanos >= FAST_SHRINK_EXCESS_NANOS) {
            return true;
        }
        if (!aboveTarget) {
            aboveTarget = true;
            aboveSince = nowNanos;
        }
        long held = nowNanos - aboveSince;
        long hold = excessNanos >= 2 * SHRINK_EXCESS_NANOS ? FAST_ADJUST_HOLD_NANOS : ADJUST_HOLD_NANOS;
        if (held > hold && (Concealer.isQuiet(frame) || held > 2 * hold)) {
            aboveSince = nowNanos;
            return true;
        }
        return false;
    }
}
