package dev.softswitch.rtp.pool;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.OptionalInt;

/**
 * The port pool of a single process. Free ports are handed out least recently released first, so a port just freed by
 * one call is the last to be reused and late packets of that call are unlikely to reach the next one.
 */
public final class InMemoryPortPool implements PortPool {

    private final int low;
    private final int capacity;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final BitSet leased = new BitSet();

    /**
     * @param low first port of the range (rounded up to even)
     * @param high last port of the range, inclusive; the last pair's RTCP port must not exceed it
     */
    public InMemoryPortPool(int low, int high) {
        if (low < 1024 || high > 65535 || low >= high) {
            throw new IllegalArgumentException("RTP port range " + low + "-" + high + " must lie within 1024-65535");
        }
        int first = low + (low & 1);
        for (int port = first; port + 1 <= high; port += 2) {
            free.add(port);
        }
        if (free.isEmpty()) {
            throw new IllegalArgumentException("RTP port range " + low + "-" + high + " holds no even/odd pair");
        }
        this.low = first;
        this.capacity = free.size();
    }

    @Override
    public synchronized OptionalInt lease() {
        Integer port = free.pollFirst();
        if (port == null) {
            return OptionalInt.empty();
        }
        leased.set(index(port));
        return OptionalInt.of(port);
    }

    @Override
    public synchronized void release(int rtpPort) {
        int index = index(rtpPort);
        if (index < 0 || index >= capacity || (rtpPort & 1) != 0 || !leased.get(index)) {
            throw new IllegalStateException("port " + rtpPort + " is not leased from this pool");
        }
        leased.clear(index);
        free.addLast(rtpPort);
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
