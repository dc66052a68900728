package dev.softswitch.sip.guard;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the guard remembers per source address: a token bucket of requests, the failed authentications in the current
 * window, and a ban's end. Bounded: at {@code capacity} addresses idle ones are forgotten, and when none are idle a new
 * address is let through untracked (a flood of spoofed addresses must not grow the heap). Time comes from the clock.
 */
final class SourceTable {

    /** What became of one request. */
    enum Admit {
        /** Within the limits. */
        PASS,
        /** The address is banned: dropped. */
        BANNED,
        /** This request went over the rate: dropped, and the address is banned from now on. */
        NEWLY_BANNED
    }

    private final Clock clock;
    private final int capacity;
    private final double perMilli;
    private final int burst;
    private final int maxAuthFailures;
    private final long authWindowMillis;
    private final long banMillis;
    private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private volatile long lastSweep = Long.MIN_VALUE / 2;

    /** One address's state; guarded by its own lock. */
    private static final class Entry {
        double tokens;
        long refilledAt;
        int failures;
        long windowStart;
        long bannedUntil;
        long lastSeen;
    }

    SourceTable(
            Clock clock,
            int capacity,
            int requestsPerSecond,
            int burst,
            int maxAuthFailures,
            Duration authWindow,
            Duration ban) {
        this.clock = clock;
        this.capacity = capacity;
        this.perMilli = requestsPerSecond / 1000.0;
        this.burst = Math.max(burst, requestsPerSecond);
        this.maxAuthFailures = maxAuthFailures;
        this.authWindowMillis = authWindow.toMillis();
        this.banMillis = ban.toMillis();
    }

    /** Takes a token for a request from {@code source}; with no rate configured only bans apply. */
    Admit request(InetAddress source) {
        long now = clock.millis();
        Entry e = entry(source, now);
        if (e == null) {
            return Admit.PASS;
        }
        synchronized (e) {
            e.lastSeen = now;
            if (e.bannedUntil > now) {
                return Admit.BANNED;
            }
            if (perMilli <= 0) {
                return Admit.PASS;
            }
            e.tokens = Math.min(burst, e.tokens + (now - e.refilledAt) * perMilli);
            e.refilledAt = now;
            if (e.tokens >= 1) {
                e.tokens -= 1;
                return Admit.PASS;
            }
            e.bannedUntil = now + banMillis;
            e.tokens = burst; // after the ban the address starts afresh
            return Admit.NEWLY_BANNED;
        }
    }

    /** Counts a failed authentication; true when it bans {@code source} from now on. */
    boolean authFailed(InetAddress source) {
        if (maxAuthFailures <= 0) {
            return false;
        }
        long now = clock.millis();
        Entry e = entry(source, now);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            e.lastSeen = now;
            if (e.bannedUntil > now) {
                return false;
            }
            if (now - e.windowStart >= authWindowMillis) {
                e.windowStart = now;
                e.failures = 0;
            }
            e.failures++;
            if (e.failures >= maxAuthFailures) {
                e.failures = 0;
                e.bannedUntil = now + banMillis;
                return true;
            }
            return false;
        }
    }

    /** Addresses banned right now. */
    int banned() {
        long now = clock.millis();
        int n = 0;
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (e.bannedUntil > now) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Addresses remembered. */
    int size() {
        return entries.size();
    }

    private @Nullable Entry entry(InetAddress source, long now) {
        Entry e = entries.get(source);
        if (e != null) {
            return e;
        }
        if (entries.size() >= capacity) {
            if (now - lastSweep < 1000) {
                return null; // full, and swept less than a second ago: do not scan the table per packet
            }
            lastSweep = now;
            forgetIdle(now);
            if (entries.size() >= capacity) {
                return null;
            }
        }
        return entries.computeIfAbsent(source, s -> {
            Entry fresh = new Entry();
            fresh.tokens = burst;
            fresh.refilledAt = now;
            fresh.windowStart = now;
            fresh.lastSeen = now;
            return fresh;
        });
    }

    /** Forgets addresses neither banned nor seen within a ban time or an auth window, whichever is longer. */
    private void forgetIdle(long now) {
        long idle = Math.max(banMillis, authWindowMillis);
        entries.entrySet().removeIf(entry -> {
            Entry e = entry.getValue();
            synchronized (e) {
                return e.bannedUntil <= now && now - e.lastSeen > idle;
            }
        });
    }
}
