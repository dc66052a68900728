package dev.softswitch.rtp.pacer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that ticks every registered {@link Tickable} each period (20 ms), for all calls at once. Deadlines are
 * absolute ({@code start + n * period}), so lateness never accumulates; a tick that wakes more than a whole period late
 * skips the missed ticks rather than bursting them, and the tick number tells the sessions how far time moved.
 */
public final class Pacer implements AutoCloseable {

    /** Something sent on the pacer's clock. Must be quick and never block: it runs for every call on one thread. */
    @FunctionalInterface
    public interface Tickable {
        /** Called once per period; {@code tick} counts periods since the pacer started. */
        void tick(long tick);
    }

    public static final long DEFAULT_PERIOD_NANOS = 20_000_000L;

    private static final Logger log = LoggerFactory.getLogger(Pacer.class);

    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final Set<Tickable> tickables = ConcurrentHashMap.newKeySet();
    private final PacingStats stats = new PacingStats();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long currentTick;

    public Pacer(String name, long periodNanos, LongSupplier nanoClock) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodNanos = periodNanos;
        this.nanoClock = nanoClock;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    public Pacer() {
        this("rtp-pacer", DEFAULT_PERIOD_NANOS, System::nanoTime);
    }

    public Pacer start() {
        thread.start();
        return this;
    }

    public void add(Tickable tickable) {
        tickables.add(tickable);
    }

    public void remove(Tickable tickable) {
        tickables.remove(tickable);
    }

    /** The tick number the pacer is at (or about to run). */
    public long currentTick() {
        return currentTick;
    }

    public int registered() {
        return tickables.size();
    }

    public PacingStats stats() {
        return stats;
    }

    /** Runs one tick for everything registered; the pacer thread calls it, and tests may call it directly. */
    public void tickOnce(long tick) {
        currentTick = tick;
        for (Tickable t : tickables) {
            try {
                t.tick(tick);
            } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
                // One call's fault must not stop the clock for every other call (out-of-memory still does).
                log.error("tick failed for {}; removing it", t, e);
                tickables.remove(t); // a concurrent set: removal while iterating is safe
            }
        }
    }

    private void loop() {
        long start = nanoClock.getAsLong();
        long tick = 0;
        while (running) {
            long deadline = start + tick * periodNanos;
            long now;
            while ((now = nanoClock.getAsLong()) < deadline && running) {
                LockSupport.parkNanos(deadline - now);
            }
            if (!running) {
                break;
            }
            long late = now - deadline;
            stats.record(late);
            if (late >= periodNanos) {
                long skipped = late / periodNanos;
                stats.skipped(skipped);
                tick += skipped;
            }
            tickOnce(tick);
            tick++;
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
