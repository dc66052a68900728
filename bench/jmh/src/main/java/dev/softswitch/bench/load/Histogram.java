package dev.softswitch.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Durations in fixed 10 us buckets up to a bound, everything beyond it in the last bucket. Guarded by its own lock: a
 * measuring thread writes, the main thread reads at the end.
 */
final class Histogram {

    static final long BUCKET_NANOS = 10_000;

    private final long[] counts;
    private long total;
    private long maxNanos;

    Histogram(long boundNanos) {
        counts = new long[(int) (boundNanos / BUCKET_NANOS) + 1];
    }

    synchronized void record(long nanos) {
        long n = Math.max(0, nanos);
        int i = (int) Math.min(counts.length - 1, n / BUCKET_NANOS);
        counts[i]++;
        total++;
        maxNanos = Math.max(maxNanos, n);
    }

    synchronized long count() {
        return total;
    }

    /** The upper bound of the bucket holding {@code quantile} of the values, in milliseconds; NaN when empty. */
    synchronized double quantileMillis(double quantile) {
        if (total == 0) {
            return Double.NaN;
        }
        long wanted = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= wanted) {
                return i == counts.length - 1 ? maxNanos / 1e6 : (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return maxNanos / 1e6;
    }

    synchronized double maxMillis() {
        return total == 0 ? Double.NaN : maxNanos / 1e6;
    }

    /** How many values were above {@code nanos} (to the bucket's resolution). */
    synchronized long countAbove(long nanos) {
        long above = 0;
        for (int i = (int) Math.min(counts.length - 1, nanos / BUCKET_NANOS + 1); i < counts.length; i++) {
            above += counts[i];
        }
        return above;
    }

    /**
     * Writes one {@code label<TAB>fraction} row per bin between consecutive {@code edgesNanos} (and one beyond the
     * last), labelled in milliseconds, for a bar chart.
     */
    synchronized void writeBins(Path file, String column, long[] edgesNanos) throws IOException {
        StringBuilder out = new StringBuilder("ms\t").append(column).append('\n');
        for (int e = 0; e <= edgesNanos.length; e++) {
            long from = e == 0 ? 0 : edgesNanos[e - 1];
            long to = e == edgesNanos.length ? Long.MAX_VALUE : edgesNanos[e];
            long n = 0;
            for (int i = 0; i < counts.length; i++) {
                long lower = i * BUCKET_NANOS;
                if (lower >= from && lower < to) {
                    n += counts[i];
                }
            }
            String label = e == edgesNanos.length ? ">" + millis(from) : millis(from) + "-" + millis(to);
            out.append(label)
                    .append('\t')
                    .append(String.format(Locale.ROOT, "%.6f%n", total == 0 ? 0.0 : (double) n / total));
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms);
    }

    /** Writes {@code millis<TAB>fraction} rows, the buckets merged {@code merge} at a time, for a chart. */
    synchronized void writeTsv(Path file, String column, int merge) throws IOException {
        StringBuilder out = new StringBuilder("ms\t").append(column).append('\n');
        for (int i = 0; i < counts.length; i += merge) {
            long n = 0;
            for (int j = i; j < Math.min(counts.length, i + merge); j++) {
                n += counts[j];
            }
            out.append(String.format(
                    Locale.ROOT, "%.2f\t%.6f%n", i * BUCKET_NANOS / 1e6, total == 0 ? 0.0 : (double) n / total));
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }
}
