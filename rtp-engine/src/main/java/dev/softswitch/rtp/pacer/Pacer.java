package dev.softswitch.rtp.pacer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that ticks every registered {@link Tickable} once each period (20 ms), for all calls at once.
 *
 * <p>The period is cut into phases (by default 20 of 1 ms), and each tickable is ticked at its own phase: calls are
 * spread over the period instead of all sending in one burst, and a call can be moved to the phase that follows its
 * caller's packets ({@link #phaseAt}), so that what it sends waits for the clock no longer than it must. The tick
 * number a tickable gets counts whole periods, whatever its phase.
 *
 * <p>Deadlines are absolute ({@code origin + n * phase}), so lateness never accumulates; a wake more than a whole
 * period late skips the missed periods rather than bursting them, and the tick number tells the sessions how far time
 * moved.
 */
public final class Pacer implements AutoCloseable {

    /** Something sent on the pacer's clock. Must be quick and never block: it runs for every call on one thread. */
    @FunctionalInterface
    public interface Tickable {
        /**
         * Called once per period at the tickable's phase; {@code tick} counts periods since the pacer's origin. A
         * tickable {@linkplain #move moved} to a later phase of a period it has already been ticked in is ticked again
         * with the same number: one that must not act twice ignores a number it has seen.
         */
        void tick(long tick);
    }

    public static final long DEFAULT_PERIOD_NANOS = 20_000_000L;
    /** Phases in the default period: 20 of 1 ms. */
    public static final int DEFAULT_PHASES = 20;

    private static final Logger log = LoggerFactory.getLogger(Pacer.class);

    private final long periodNanos;
    private final int phases;
    private final long phaseNanos;
    private final LongSupplier nanoClock;
    /** When tick 0's phase 0 was due: every deadline counts from here. */
    private final long origin;

    private final Set<Tickable>[] byPhase;
    /** Each registered tickable's phase; add, move and remove change it and {@link #byPhase} together, under this. */
    private final Map<Tickable, Integer> phaseOf = new ConcurrentHashMap<>();

    private int nextPhase;
    private final PacingStats stats = new PacingStats();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long currentTick;
    /**
     * A wake this late means this host paused (a VM's CPU taken away, a collection, a burst of other work): what came
     * in meanwhile is still being read.
     */
    public static final long PAUSE_NANOS = 3_000_000L;

    /** When the last run that woke {@link #PAUSE_NANOS} late or more began; pacer thread only. */
    private long lastPauseAt;

    private boolean paused;

    /** A pacer of one phase: everything ticks at once, every period. */
    public Pacer(String name, long periodNanos, LongSupplier nanoClock) {
        this(name, periodNanos, 1, nanoClock);
    }

    @SuppressWarnings("unchecked")
    public Pacer(String name, long periodNanos, int phases, LongSupplier nanoClock) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        if (phases <= 0 || periodNanos % phases != 0) {
            throw new IllegalArgumentException(
                    "phases must be positive and divide the period: " + phases + " phases of " + periodNanos + " ns");
        }
        this.periodNanos = periodNanos;
        this.phases = phases;
        this.phaseNanos = periodNanos / phases;
        this.nanoClock = nanoClock;
        this.origin = nanoClock.getAsLong();
        this.byPhase = new Set[phases];
        for (int i = 0; i < phases; i++) {
            byPhase[i] = ConcurrentHashMap.newKeySet();
        }
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    public Pacer() {
        this("rtp-pacer", DEFAULT_PERIOD_NANOS, DEFAULT_PHASES, System::nanoTime);
    }

    public Pacer start() {
        thread.start();
        return this;
    }

    /** Registers {@code tickable} at the next phase in turn, so that calls spread evenly over the period. */
    public synchronized void add(Tickable tickable) {
        add(tickable, nextPhase);
        nextPhase = (nextPhase + 1) % phases;
    }

    /** Registers {@code tickable} at {@code phase} (0 to {@link #phases()} - 1); one already registered is moved. */
    public synchronized void add(Tickable tickable, int phase) {
        checkPhase(phase);
        Integer old = phaseOf.put(tickable, phase);
        if (old != null) {
            byPhase[old].remove(tickable);
        }
        byPhase[phase].add(tickable);
    }

    /**
     * Moves a registered {@code tickable} to {@code phase} from that phase's next run; one not registered (removed
     * meanwhile) stays so.
     */
    public synchronized void move(Tickable tickable, int phase) {
        checkPhase(phase);
        Integer old = phaseOf.get(tickable);
        if (old == null || old == phase) {
            return;
        }
        phaseOf.put(tickable, phase);
        byPhase[old].remove(tickable);
        byPhase[phase].add(tickable);
    }

    public synchronized void remove(Tickable tickable) {
        Integer old = phaseOf.remove(tickable);
        if (old != null) {
            byPhase[old].remove(tickable);
        }
    }

    /** The phase whose run comes first at or after the instant {@code nanos} (a {@code nanoClock} reading). */
    public int phaseAt(long nanos) {
        long into = Math.floorMod(nanos - origin, periodNanos);
        return (int) (Math.ceilDiv(into, phaseNanos) % phases);
    }

    /** The tick number (period) of the run that {@link #phaseAt} names for the instant {@code nanos}. */
    public long tickAt(long nanos) {
        return Math.floorDiv(Math.ceilDiv(nanos - origin, phaseNanos), phases);
    }

    /** When {@code phase} is next due to run after the instant {@code nanos} (strictly after). */
    public long nextRun(int phase, long nanos) {
        checkPhase(phase);
        long run = origin + Math.floorDiv(nanos - origin, periodNanos) * periodNanos + phase * phaseNanos;
        return run > nanos ? run : run + periodNanos;
    }

    public int phases() {
        return phases;
    }

    /** The period every tickable is ticked once in (20 ms by default). */
    public long periodNanos() {
        return periodNanos;
    }

    /** The phase {@code tickable} is ticked at, or -1 when it is not registered. */
    public int phaseOf(Tickable tickable) {
        Integer phase = phaseOf.get(tickable);
        return phase == null ? -1 : phase;
    }

    /** The tick number the pacer is at (or about to run). */
    public long currentTick() {
        return currentTick;
    }

    /**
     * Whether a run woke {@link #PAUSE_NANOS} late or more within the last {@code nanos} (the run in progress
     * included): the host paused just now, and packets that arrived meanwhile may not have been read yet. Pacer thread.
     */
    public boolean pausedWithin(long nanos) {
        return paused && nanoClock.getAsLong() - lastPauseAt < nanos;
    }

    private void wokeLate(long lateNanos, long now) {
        if (lateNanos >= PAUSE_NANOS) {
            lastPauseAt = now;
            paused = true;
        }
    }

    public int registered() {
        return phaseOf.size();
    }

    public PacingStats stats() {
        return stats;
    }

    /** Runs one whole tick, every phase, for everything registered; tests call it directly. */
    public void tickOnce(long tick) {
        tickOnceLate(tick, 0);
    }

    /** Runs one whole tick as a wake that came {@code lateNanos} late ({@link #pausedWithin}); tests call it. */
    public void tickOnceLate(long tick, long lateNanos) {
        wokeLate(lateNanos, nanoClock.getAsLong());
        for (int phase = 0; phase < phases; phase++) {
            runPhase(tick, phase);
        }
    }

    private void runPhase(long tick, int phase) {
        currentTick = tick;
        for (Tickable t : byPhase[phase]) {
            try {
                t.tick(tick);
            } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
                // One call's fault must not stop the clock for every other call (out-of-memory still does).
                log.error("tick failed for {}; removing it", t, e);
                remove(t); // a concurrent set: removal while iterating is safe
            }
        }
    }

    private void loop() {
        long step = Math.max(0, Math.floorDiv(nanoClock.getAsLong() - origin, phaseNanos));
        while (running) {
            int phase = (int) (step % phases);
            if (phase != 0 && byPhase[phase].isEmpty()) {
                step++; // nothing to tick: no wake (phase 0 always wakes, so an idle pacer still keeps time)
                continue;
            }
            long deadline = origin + step * phaseNanos;
            long now;
            while ((now = nanoClock.getAsLong()) < deadline && running) {
                LockSupport.parkNanos(deadline - now);
            }
            if (!running) {
                break;
            }
            long late = now - deadline;
            stats.record(late);
            wokeLate(late, now);
            if (late >= periodNanos) {
                long skipped = late / periodNanos;
                stats.skipped(skipped);
                step += skipped * phases;
            }
            runPhase(step / phases, (int) (step % phases));
            step++;
        }
    }

    private void checkPhase(int phase) {
        if (phase < 0 || phase >= phases) {
            throw new IllegalArgumentException("phase " + phase + " is not in 0-" + (phases - 1));
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
