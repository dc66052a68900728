package dev.softswitch.sip.admission;

import dev.softswitch.config.CallLimits;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Caps on calls, overall and per trunk: how many may be up at once and how many may start per second. A call takes a
 * {@link Permit} when it is admitted and gives it back when it ends; past a cap it is refused (503 with Retry-After).
 * Calls per second count starts in the current one-second window of the injected clock.
 */
public final class CallLimiter {

    /** One call's hold on the limits; released once, when the call ends. */
    public interface Permit {
        void release();
    }

    private final Clock clock;
    private final CallLimits overall;
    private final Map<String, CallLimits> perTrunk;
    private final Map<String, Counter> counters = new HashMap<>();

    /** The count of one scope ({@code ""} for overall, else a trunk's name). Guarded by the limiter's lock. */
    private static final class Counter {
        int active;
        long windowSecond = Long.MIN_VALUE;
        int startedInWindow;
    }

    public CallLimiter(Clock clock, CallLimits overall, Map<String, CallLimits> perTrunk) {
        this.clock = clock;
        this.overall = overall;
        this.perTrunk = Map.copyOf(perTrunk);
    }

    /** No caps at all (the demo). */
    public static CallLimiter unlimited() {
        return new CallLimiter(Clock.systemUTC(), CallLimits.UNLIMITED, Map.of());
    }

    /**
     * Takes a permit for a call from {@code trunk} (null when the caller is not a trunk).
     *
     * @return the permit, or empty with nothing taken when a cap is reached
     */
    public synchronized Optional<Permit> tryAcquire(@Nullable String trunk) {
        long second = Math.floorDiv(clock.millis(), 1000L);
        CallLimits trunkLimits =
                trunk == null ? CallLimits.UNLIMITED : perTrunk.getOrDefault(trunk, CallLimits.UNLIMITED);
        Counter all = counter("");
        Counter own = trunk == null ? null : counter("trunk:" + trunk);
        if (!fits(all, overall, second) || (own != null && !fits(own, trunkLimits, second))) {
            return Optional.empty();
        }
        take(all, second);
        if (own != null) {
            take(own, second);
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                synchronized (this) {
                    release(all, own);
                }
            }
        });
    }

    /** Calls up now, overall. */
    public synchronized int active() {
        Counter all = counters.get("");
        return all == null ? 0 : all.active;
    }

    private Counter counter(String key) {
        return counters.computeIfAbsent(key, k -> new Counter());
    }

    private static boolean fits(Counter c, CallLimits limits, long second) {
        if (limits.maxConcurrentCalls() > 0 && c.active >= limits.maxConcurrentCalls()) {
            return false;
        }
        int started = c.windowSecond == second ? c.startedInWindow : 0;
        return limits.maxCallsPerSecond() == 0 || started < limits.maxCallsPerSecond();
    }

    private static void take(Counter c, long second) {
        c.active++;
        if (c.windowSecond != second) {
            c.windowSecond = second;
            c.startedInWindow = 0;
        }
        c.startedInWindow++;
    }

    private static void release(Counter all, @Nullable Counter own) {
        all.active--;
        if (own != null) {
            own.active--;
        }
    }
}
