package dev.softswitch.rtp.pacer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late the pacer woke against its deadlines: a histogram in microsecond buckets, written by the pacer thread and
 * read by anyone. Percentiles are the upper bound of the bucket they fall in.
 */
public final class PacingStats {

    /** Upper bounds of the buckets, in microseconds; the last bucket is everything beyond. */
    private static final long[] BOUNDS_MICROS = {
        10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, Long.MAX_VALUE
    };

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MICROS.length);
    private final AtomicLong maxNanos = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder sumNanos = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong skippedTicks = new AtomicLong();

    void record(long lateNanos) {
        long micros = Math.max(0, lateNanos) / 1000;
        int i = 0;
        while (micros > BOUNDS_MICROS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.add(Math.max(0, lateNanos));
        maxNanos.accumulateAndGet(lateNanos, Math::max);
    }

    /** The buckets' upper bounds in seconds, without the last (unbounded) one. */
    public static double[] boundsSeconds() {
        return Buckets.seconds(BOUNDS_MICROS, BOUNDS_MICROS.length - 1);
    }

    /** The count in each bucket (not cumulative), the unbounded one last. */
    public long[] counts() {
        return Buckets.counts(counts);
    }

    /** All the lateness recorded, in seconds. */
    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }

    void skipped(long ticks) {
        skippedTicks.addAndGet(ticks);
    }

    public long ticks() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The bucket bound (microseconds) under which {@code quantile} of the ticks woke, e.g. 0.99. */
    public long lateMicrosAt(double quantile) {
        long total = ticks();
        if (total == 0) {
            return 0;
        }
        long wanted = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= wanted) {
                return BOUNDS_MICROS[i];
            }
        }
        return Long.MAX_VALUE;
    }

    public long maxLateMicros() {
        return maxNanos.get() / 1000;
    }

    public long skippedTicks() {
        return skippedTicks.get();
    }
}
