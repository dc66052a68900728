package dev.softswitch.assistant.context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call context store of a single process: a map in insertion order under one lock, each operation O(1) and short.
 * Expired entries are never returned; they are swept lazily from the oldest end on every {@link #put} (with the usual
 * single TTL, insertion order is expiry order) and by {@link #sweep}. At most {@code maxEntries} are kept: a put into a
 * full store drops the oldest entry, with a warning, rather than grow without bound.
 */
public final class InMemoryCallContextStore implements CallContextStore {

    private static final Logger log = LoggerFactory.getLogger(InMemoryCallContextStore.class);

    /** The default bound: far more calls than one process rings at once. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Entry(CallContext context, Instant expires) {}

    private final Clock clock;
    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    public InMemoryCallContextStore(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    public InMemoryCallContextStore(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public void put(String callId, CallContext context, Duration ttl) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(context, "context");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant now = clock.instant();
        String dropped = null;
        lock.lock();
        try {
            sweepLocked(now);
            entries.remove(callId); // a replaced entry moves to the young end
            if (entries.size() >= maxEntries) {
                Iterator<String> oldest = entries.keySet().iterator();
                dropped = oldest.next();
                oldest.remove();
            }
            entries.put(callId, new Entry(context, now.plus(ttl)));
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            log.warn("call context store full ({} entries): dropped the context of call {}", maxEntries, dropped);
        }
    }

    @Override
    public Optional<CallContext> claim(String callId) {
        Instant now = clock.instant();
        Entry entry;
        lock.lock();
        try {
            entry = entries.remove(callId);
        } finally {
            lock.unlock();
        }
        if (entry == null || !now.isBefore(entry.expires())) {
            return Optional.empty();
        }
        return Optional.of(entry.context());
    }

    /** Removes every expired entry (a timer may call it; {@link #put} sweeps as it goes). */
    public void sweep() {
        Instant now = clock.instant();
        lock.lock();
        try {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
        } finally {
            lock.unlock();
        }
    }

    /** Entries held, expired ones not yet swept included. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops expired entries from the oldest end until one that has not expired. */
    private void sweepLocked(Instant now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (now.isBefore(it.next().getValue().expires())) {
                return;
            }
            it.remove();
        }
    }
}
