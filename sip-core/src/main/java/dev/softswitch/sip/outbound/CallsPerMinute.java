package dev.softswitch.sip.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * A sliding window over the last 60 seconds: at most {@code max} calls start in any 60 s, exactly (a log of the start
 * times, not a token bucket, so no burst above {@code max} ever passes). Holds at most {@code max} instants. Not
 * thread-safe: its owner guards it.
 */
final class CallsPerMinute {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final int max;
    private final ArrayDeque<Instant> starts = new ArrayDeque<>();

    /** @param max calls per minute, more than 0 */
    CallsPerMinute(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("calls per minute is more than 0, not " + max);
        }
        this.max = max;
    }

    /** Whether a call may start at {@code now}, without counting it. */
    boolean admits(Instant now) {
        forgetBefore(now);
        return starts.size() < max;
    }

    /** Counts a call started at {@code now}; call after {@link #admits}. */
    void started(Instant now) {
        starts.addLast(now);
    }

    /** How long until the next call may start (zero when one may now), rounded up to whole seconds, at least 1 s. */
    Duration retryAfter(Instant now) {
        forgetBefore(now);
        if (starts.size() < max) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, starts.getFirst().plus(WINDOW));
        long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }

    /** Calls started in the window ending at {@code now}. */
    int inWindow(Instant now) {
        forgetBefore(now);
        return starts.size();
    }

    private void forgetBefore(Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!starts.isEmpty() && !starts.getFirst().isAfter(cutoff)) {
            starts.removeFirst();
        }
        // A start later than now means the clock was set back: forget it, rather than refuse calls until it is reached.
        if (!starts.isEmpty() && starts.getLast().isAfter(now)) {
            starts.removeIf(start -> start.isAfter(now));
        }
    }
}
