package dev.softswitch.bridge.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers what was seen in the last {@code window} (a nonce, a call id answered once) so that a captured, correctly
 * signed request replayed later is refused. Bounded: past {@code capacity} the oldest is forgotten. Safe from any thread.
 */
public final class ReplayGuard {

    private final Clock clock;
    private final Duration window;
    private final int capacity;
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    public ReplayGuard(Clock clock, Duration window, int capacity) {
        this.clock = clock;
        this.window = window;
        this.capacity = capacity;
    }

    /** True the first time {@code key} is seen within the window; false for a repeat. */
    public synchronized boolean firstTime(String key) {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Instant>> oldest = seen.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Instant> e = oldest.next();
            if (seen.size() < capacity && now.isBefore(e.getValue().plus(window))) {
                break;
            }
            oldest.remove();
        }
        return seen.putIfAbsent(key, now) == null;
    }

    /** Forgets {@code key}: what it guarded failed before it took effect, and the same request may come again. */
    public synchronized void forget(String key) {
        seen.remove(key);
    }
}
