package dev.softswitch.rtp.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * The port pool of a single process. Free ports are handed out least recently released first, and a released port is
 * quarantined for {@link #DEFAULT_QUARANTINE} before it is leased again, so that late packets of the call that held it
 * never reach the next one; when every free port is still in quarantine, {@link #lease} finds none (the call gets 503)
 * rather than break it.
 */
public final class InMemoryPortPool implements PortPool {

    /** How long a released port waits before it is leased again. */
    public static final Duration DEFAULT_QUARANTINE = Duration.ofSeconds(2);

    private final int low;
    private final int capacity;
    /** Free ports, least recently released first, with when each may be leased again (nanoTime). */
    private final ArrayDeque<long[]> free = new ArrayDeque<>();

    private final BitSet leased = new BitSet();
    private final long quarantineNanos;
    private final LongSupplier nanoTime;
    private long quarantineRefusals;

    /**
     * @param low first port of the range (rounded up to even)
     * @param high last port of the range, inclusive; the last pair's RTCP port must not exceed it
     */
    public InMemoryPortPool(int low, int high) {
        this(low, high, DEFAULT_QUARANTINE, System::nanoTime);
    }

    /**
     * @param quarantine how long a released port waits before it is leased again (zero: at once)
     * @param nanoTime the clock quarantines are measured by
     */
    public InMemoryPortPool(int low, int high, Duration quarantine, LongSupplier nanoTime) {
        this.quarantineNanos = quarantine.toNanos();
        this.nanoTime = nanoTime;
        if (low < 1024 || high > 65535 || low >= high) {
            throw new IllegalArgumentException("RTP port range " + low + "-" + high + " must lie within 1024-65535");
        }
        int first = low + (low & 1);
        for (int port = first; port + 1 <= high; port += 2) {
            free.add(new long[] {port, Long.MIN_VALUE});
        }
        if (free.isEmpty()) {
            throw new IllegalArgumentException("RTP port range " + low + "-" + high + " holds no even/odd pair");
        }
        this.low = first;
        this.capacity = free.size();
    }

    @Override
    public synchronized OptionalInt lease() {
        long[] head = free.peekFirst();
        if (head == null) {
            return OptionalInt.empty();
        }
        if (head[1] != Long.MIN_VALUE && nanoTime.getAsLong() - head[1] < 0) {
            quarantineRefusals++; // the least recently released is still in quarantine: so are all the others
            return OptionalInt.empty();
        }
        free.pollFirst();
        int port = (int) head[0];
        leased.set(index(port));
        return OptionalInt.of(port);
    }

    /** Leases refused because every free port was still in quarantine. */
    public synchronized long quarantineRefusals() {
        return quarantineRefusals;
    }

    @Override
    public synchronized int quarantined() {
        long now = nanoTime.getAsLong();
        return (int) free.stream()
                .filter(p -> p[1] != Long.MIN_VALUE && now - p[1] < 0)
                .count();
    }

    @Override
    public synchronized void release(int rtpPort) {
        int index = index(rtpPort);
        if (index < 0 || index >= capacity || (rtpPort & 1) != 0 || !leased.get(index)) {
            throw new IllegalStateException("port " + rtpPort + " is not leased from this pool");
        }
        leased.clear(index);
        free.addLast(
                new long[] {rtpPort, quarantineNanos == 0 ? Long.MIN_VALUE : nanoTime.getAsLong() + quarantineNanos});
    }

    @Override
    public synchronized int leased() {
        return leased.cardinality();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private int index(int port) {
        return (port - low) / 2;
    }
}
