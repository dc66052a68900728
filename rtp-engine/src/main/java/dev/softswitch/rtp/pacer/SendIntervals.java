package dev.softswitch.rtp.pacer;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The time between consecutive outbound RTP packets of each stream, as they reach the socket: a histogram in fixed
 * buckets around the 20 ms frame, shared by every call and written from the event loops. Only intervals inside a
 * talkspurt count: the first packet after a pause (marker bit, or more than {@link #PAUSE_NANOS} since the last) starts
 * afresh, so silence suppression and hold do not show up as late packets.
 */
public final class SendIntervals {

    /** Upper bounds of the buckets in microseconds; the last bucket, beyond the last bound, is {@code +Inf}. */
    private static final long[] BOUNDS_MICROS = {
        1_000, 5_000, 10_000, 15_000, 18_000, 19_000, 19_500, 19_800, 20_200, 20_500, 21_000, 22_000, 25_000, 30_000,
        40_000, 60_000, 100_000
    };

    /** A gap longer than this is a pause in the stream, not a late packet. */
    public static final long PAUSE_NANOS = 500_000_000L;

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MICROS.length + 1);
    private final LongAdder sumNanos = new LongAdder();

    /** Counts one interval; intervals of {@link #PAUSE_NANOS} or more are not counted. */
    public void record(long nanos) {
        if (nanos < 0 || nanos >= PAUSE_NANOS) {
            return;
        }
        long micros = nanos / 1000;
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.add(nanos);
    }

    /** The buckets' upper bounds in seconds, without the {@code +Inf} one. */
    public static double[] boundsSeconds() {
        return Buckets.seconds(BOUNDS_MICROS, BOUNDS_MICROS.length);
    }

    /** The count in each bucket (not cumulative), the {@code +Inf} bucket last. */
    public long[] counts() {
        return Buckets.counts(counts);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
