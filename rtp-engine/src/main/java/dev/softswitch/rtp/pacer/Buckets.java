package dev.softswitch.rtp.pacer;

import java.util.concurrent.atomic.AtomicLongArray;

/** What the pacer's histograms ({@link PacingStats}, {@link SendIntervals}) have in common: their buckets as read out. */
final class Buckets {

    private Buckets() {}

    /** The first {@code count} upper bounds, from microseconds to seconds. */
    static double[] seconds(long[] boundsMicros, int count) {
        double[] seconds = new double[count];
        for (int i = 0; i < count; i++) {
            seconds[i] = boundsMicros[i] / 1e6;
        }
        return seconds;
    }

    /** A copy of the counts, bucket by bucket (not cumulative). */
    static long[] counts(AtomicLongArray counts) {
        long[] out = new long[counts.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }
}
