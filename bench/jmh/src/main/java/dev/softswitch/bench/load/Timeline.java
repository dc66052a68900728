package dev.softswitch.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What happened when, in 100 ms steps from the reading of the server before the measured window to its end: how many
 * echoes came back, how many of them later than a bound, the worst echo delay, how late the generator's own sender
 * woke, how much of the machine the hypervisor took (steal time), and how long the softswitch's garbage collector held
 * it still (from its {@code -Xlog:gc} file, when given). A p99 made by a few moments where everything was late at once
 * shows up here as a few rows, and beside them what stopped the machine or the softswitch.
 */
final class Timeline {

    static final long STEP_NANOS = 100_000_000L;

    private final long startNanos;
    private final long lateBoundNanos;
    private int windowStep;
    private volatile boolean closed;
    private final long[] echoes;
    private final long[] lateEchoes;
    private final long[] maxDelay;
    private final long[] maxSenderLate;
    private final long[] stealTicks;
    private final long[] gcPauseNanos;
    private long closedAt = Long.MAX_VALUE;
    private long gcPauses;
    private long gcPauseTotalNanos;
    private long gcPauseMaxNanos;

    Timeline(long startNanos, long durationNanos, long lateBoundNanos) {
        this.startNanos = startNanos;
        this.lateBoundNanos = lateBoundNanos;
        int steps = (int) (durationNanos / STEP_NANOS) + 2;
        echoes = new long[steps];
        lateEchoes = new long[steps];
        maxDelay = new long[steps];
        maxSenderLate = new long[steps];
        stealTicks = new long[steps];
        gcPauseNanos = new long[steps];
    }

    /** The measured window opens now: steps before it are shown with negative times and left out of the figures. */
    synchronized void windowOpens(long atNanos) {
        windowStep = Math.max(0, step(atNanos));
    }

    /** The window has closed: nothing more is recorded (but the collector's pauses, read later). */
    synchronized void close() {
        closedAt = System.nanoTime();
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    private int step(long atNanos) {
        long i = (atNanos - startNanos) / STEP_NANOS;
        return i < 0 || i >= echoes.length ? -1 : (int) i;
    }

    synchronized void echo(long atNanos, long delayNanos) {
        int i = closed ? -1 : step(atNanos);
        if (i >= 0) {
            echoes[i]++;
            if (delayNanos > lateBoundNanos) {
                lateEchoes[i]++;
            }
            maxDelay[i] = Math.max(maxDelay[i], delayNanos);
        }
    }

    synchronized void senderLate(long atNanos, long lateNanos) {
        int i = closed ? -1 : step(atNanos);
        if (i >= 0) {
            maxSenderLate[i] = Math.max(maxSenderLate[i], lateNanos);
        }
    }

    synchronized void steal(long atNanos, long ticks) {
        int i = step(atNanos);
        if (i >= 0) {
            stealTicks[i] += ticks;
        }
    }

    /**
     * A pause of the softswitch's collector that ended at {@code endNanos} (this JVM's clock: both read the same
     * monotonic clock) and lasted {@code pauseNanos}, counted in the step where it ended. Read after the window closed.
     */
    synchronized void gcPause(long endNanos, long pauseNanos) {
        int i = step(endNanos);
        if (i >= 0) {
            gcPauseNanos[i] += pauseNanos;
        }
        if (i >= windowStep && endNanos <= closedAt) {
            gcPauses++;
            gcPauseTotalNanos += pauseNanos;
            gcPauseMaxNanos = Math.max(gcPauseMaxNanos, pauseNanos);
        }
    }

    /** The softswitch's collector pauses that ended in the window: how many, their total and the longest, in ns. */
    synchronized long[] gcPausesInWindow() {
        return new long[] {gcPauses, gcPauseTotalNanos, gcPauseMaxNanos};
    }

    /** Steps with at least one echo later than the bound. */
    synchronized int lateSteps() {
        int n = 0;
        for (int i = windowStep; i < lateEchoes.length; i++) {
            n += lateEchoes[i] > 0 ? 1 : 0;
        }
        return n;
    }

    /** Share of the late echoes that fell in the {@code top} steps with the most of them. */
    synchronized double shareOfLateInWorst(int top) {
        long[] sorted = java.util.Arrays.copyOfRange(lateEchoes, windowStep, lateEchoes.length);
        java.util.Arrays.sort(sorted);
        long all = 0;
        long worst = 0;
        for (int i = 0; i < sorted.length; i++) {
            all += sorted[i];
            if (i >= sorted.length - top) {
                worst += sorted[i];
            }
        }
        return all == 0 ? 0 : (double) worst / all;
    }

    /**
     * One row per step: {@code s echoes late max_delay_ms sender_late_ms steal_ms gc_ms}, {@code s} from the window's
     * opening (negative before it). Echoes are those that arrived in the step, whatever window they were sent in.
     */
    synchronized void writeTsv(Path file, double clockTicksPerSecond) throws IOException {
        StringBuilder out = new StringBuilder("s\techoes\tlate\tmax_delay_ms\tsender_late_ms\tsteal_ms\tgc_ms\n");
        for (int i = 0; i < echoes.length; i++) {
            out.append(String.format(
                    Locale.ROOT,
                    "%.1f\t%d\t%d\t%.1f\t%.1f\t%.0f\t%.1f%n",
                    (i - windowStep) * STEP_NANOS / 1e9,
                    echoes[i],
                    lateEchoes[i],
                    maxDelay[i] / 1e6,
                    maxSenderLate[i] / 1e6,
                    stealTicks[i] * 1000 / clockTicksPerSecond,
                    gcPauseNanos[i] / 1e6));
        }
        Files.writeString(file, out);
    }
}
