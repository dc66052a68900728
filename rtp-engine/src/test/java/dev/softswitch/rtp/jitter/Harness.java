package dev.softswitch.rtp.jitter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Drives a {@link JitterBuffer} the way a call would: packets arrive at given times, a consumer polls every 20 ms, and
 * every poll's result is recorded (copied, since the buffer reuses its array).
 */
final class Harness {

    static final int FRAME = 160; // 20 ms at 8 kHz, and as many RTP timestamp units
    static final long MS = 1_000_000L;
    static final long FRAME_NANOS = 20 * MS;
    /** Tagged frames hold {@code TAG_BASE + tag}: concealment (at most -6 dB) never reaches that level. */
    private static final int TAG_BASE = 20_000;

    @SuppressWarnings("ArrayRecordComponent") // a test's packet: never compared, never changed
    private record Arrival(long at, long order, int seq, long ts, short[] pcm) {}

    final JitterBuffer buffer = new JitterBuffer(FRAME, FRAME);
    final List<short @Nullable []> played = new ArrayList<>();
    final List<Long> pollTimes = new ArrayList<>();
    final List<Integer> delays = new ArrayList<>();
    private final PriorityQueue<Arrival> inFlight =
            new PriorityQueue<>(Comparator.comparingLong(Arrival::at).thenComparingLong(Arrival::order));
    private long order;
    private long nextPoll;

    /** Polls at {@code pollPhaseNanos} + k * 20 ms. */
    Harness(long pollPhaseNanos) {
        this.nextPoll = pollPhaseNanos;
    }

    /** A packet that reaches us at {@code atNanos}. */
    void arrive(long atNanos, int seq, long ts, short[] pcm) {
        inFlight.add(new Arrival(atNanos, order++, seq & 0xffff, ts & 0xffff_ffffL, pcm));
    }

    /** Frame {@code n} of a stream sent every 20 ms from time zero, tagged with {@code n}, arriving after a delay. */
    void send(int n, long delayNanos) {
        arrive(n * FRAME_NANOS + delayNanos, n, (long) n * FRAME, tagged(n));
    }

    /** Delivers arrivals and polls, in time order, up to and including {@code endNanos}. */
    void runUntil(long endNanos) {
        while (nextPoll <= endNanos) {
            deliver(nextPoll);
            short[] frame = buffer.poll(nextPoll);
            played.add(frame == null ? null : frame.clone());
            pollTimes.add(nextPoll);
            delays.add(buffer.stats().currentDelayMs());
            nextPoll += FRAME_NANOS;
        }
        deliver(endNanos);
    }

    private void deliver(long untilNanos) {
        for (Arrival a = inFlight.peek(); a != null && a.at() <= untilNanos; a = inFlight.peek()) {
            inFlight.remove();
            buffer.put(a.seq(), a.ts(), a.pcm(), a.at());
        }
    }

    /** The tags of the received frames played, in play order (concealment and nulls left out). */
    List<Integer> playedTags() {
        List<Integer> tags = new ArrayList<>();
        for (short[] frame : played) {
            int tag = tag(frame);
            if (tag >= 0) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** Index in {@link #played} of the poll that played the frame tagged {@code tag}, or -1. */
    int pollOf(int tag) {
        for (int i = 0; i < played.size(); i++) {
            if (tag(played.get(i)) == tag) {
                return i;
            }
        }
        return -1;
    }

    static short[] tagged(int tag) {
        short[] frame = new short[FRAME];
        java.util.Arrays.fill(frame, (short) (TAG_BASE + tag % 10_000));
        return frame;
    }

    /** The tag of a received frame as played (its last sample is never touched by a fade or splice), or -1. */
    static int tag(short @Nullable [] frame) {
        if (frame == null || frame[FRAME - 1] < TAG_BASE) {
            return -1;
        }
        return frame[FRAME - 1] - TAG_BASE;
    }

    /** Mean square of the samples. */
    static double energy(short[] frame) {
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return sum / frame.length;
    }

    /** The largest step between neighbouring samples of {@code a} followed by {@code b}, across the joint too. */
    static int maxStep(short[] a, short[] b) {
        int max = 0;
        int previous = a[0];
        for (short[] frame : new short[][] {a, b}) {
            for (short s : frame) {
                max = Math.max(max, Math.abs(s - previous));
                previous = s;
            }
        }
        return max;
    }
}
