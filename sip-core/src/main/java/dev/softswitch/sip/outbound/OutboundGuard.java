package dev.softswitch.sip.outbound;

import dev.softswitch.config.OutboundLimits;
import dev.softswitch.config.OutboundTrunk;
import dev.softswitch.config.TrunkConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The toll-fraud caps of every trunk calls go out through ({@code trunks[].outbound}: {@code max_concurrent_calls},
 * {@code max_calls_per_minute}, {@code allowed_prefixes}). {@link #admit} decides for each call before its INVITE is
 * built; an admitted call holds a slot of its trunk until {@link Admitted#release()}, which its end calls once.
 *
 * <p>A call counts against a trunk when it names it, or, dialled by SIP URI without a trunk, when the URI's host is the
 * trunk's {@code host} or {@code proxy} host as written in the configuration: a carrier that trusts our address would
 * take such a call as from the trunk. A name that resolves to the same address is not recognised.
 *
 * <p>Thread-safe: calls are placed from the API's event loop, the command line and calls' own threads at once. Each
 * trunk's state is guarded by its own lock, held for a few comparisons.
 */
public final class OutboundGuard {

    /** What {@link #admit} decided. */
    public sealed interface Decision {}

    /**
     * The call may go out.
     *
     * @param trunk the trunk it counts against, or null when it goes through none
     */
    public record Admitted(@Nullable String trunk, Runnable releaser) implements Decision {
        /** Gives the trunk's slot back. Idempotent. */
        public void release() {
            releaser.run();
        }
    }

    /** The call must not go out. */
    public record Refused(OutboundRefusal refusal) implements Decision {}

    private static final Admitted UNGUARDED = new Admitted(null, () -> {});

    private final Clock clock;
    private final Map<String, TrunkCaps> trunks;

    /** Caps for {@code trunks} (those with an {@code outbound} section), read from {@code clock}. */
    public OutboundGuard(List<TrunkConfig> trunks, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, TrunkCaps> caps = new LinkedHashMap<>();
        for (TrunkConfig trunk : trunks) {
            OutboundTrunk outbound = trunk.outbound();
            if (outbound != null) {
                caps.put(trunk.name(), new TrunkCaps(trunk.name(), outbound));
            }
        }
        this.trunks = Collections.unmodifiableMap(caps);
    }

    /** No trunks: every call goes out. */
    public static OutboundGuard none() {
        return new OutboundGuard(List.of(), Clock.systemUTC());
    }

    /**
     * Decides on one call and, when admitted, counts it: a slot of its trunk and a start in the trunk's minute.
     *
     * @param trunk the trunk the call names, or null when dialled by SIP URI
     * @param requestUri the Request-URI: its user part is the dialled number, its host may match a trunk
     */
    public Decision admit(@Nullable String trunk, String requestUri) {
        TrunkCaps caps = trunk != null ? trunks.get(trunk) : byHost(requestUri);
        if (caps == null) {
            return UNGUARDED;
        }
        return caps.admit(requestUri, clock);
    }

    /** The names of the trunks calls go out through, in file order. */
    public List<String> trunkNames() {
        return new ArrayList<>(trunks.keySet());
    }

    /** Calls counted against {@code trunk} now (placed and not yet ended). */
    public int activeCalls(String trunk) {
        TrunkCaps caps = trunks.get(trunk);
        return caps == null ? 0 : caps.active();
    }

    /** Calls refused through {@code trunk} with {@code reason} ({@code prefix}, {@code concurrent}, {@code rate}). */
    public long refused(String trunk, String reason) {
        TrunkCaps caps = trunks.get(trunk);
        return caps == null ? 0 : caps.refused(reason);
    }

    /** The metric labels of refusals, in a fixed order. */
    public static List<String> reasons() {
        return TrunkCaps.REASONS;
    }

    /** The trunks whose calls may go to any number (no {@code allowed_prefixes}), for a warning at start. */
    public List<String> unrestrictedTrunks() {
        return trunks.values().stream()
                .filter(c -> c.limits.allowedPrefixes() == null)
                .map(c -> c.name)
                .toList();
    }

    private @Nullable TrunkCaps byHost(String requestUri) {
        String host = DialledNumber.host(requestUri);
        if (host == null) {
            return null;
        }
        for (TrunkCaps caps : trunks.values()) {
            if (caps.hosts.contains(host)) {
                return caps;
            }
        }
        return null;
    }

    /** One trunk's caps and counts. */
    private static final class TrunkCaps {

        static final List<String> REASONS = List.of("prefix", "concurrent", "rate");

        final String name;
        final OutboundLimits limits;
        final List<String> hosts;
        private final @Nullable CallsPerMinute perMinute;
        private final long[] refused = new long[REASONS.size()];
        private int active;

        TrunkCaps(String name, OutboundTrunk outbound) {
            this.name = name;
            this.limits = outbound.limits();
            List<String> h = new ArrayList<>();
            h.add(outbound.host().toLowerCase(Locale.ROOT));
            if (outbound.proxyHost() != null) {
                h.add(outbound.proxyHost().toLowerCase(Locale.ROOT));
            }
            this.hosts = List.copyOf(h);
            this.perMinute = limits.maxCallsPerMinute() > 0 ? new CallsPerMinute(limits.maxCallsPerMinute()) : null;
        }

        synchronized Decision admit(String requestUri, Clock clock) {
            String number = DialledNumber.of(requestUri);
            if (!limits.allows(number)) {
                return refuse(new OutboundRefusal.PrefixNotAllowed(
                        name, number, requestUri, Objects.requireNonNull(limits.allowedPrefixes())));
            }
            if (limits.maxConcurrentCalls() > 0 && active >= limits.maxConcurrentCalls()) {
                return refuse(new OutboundRefusal.TooManyCalls(name, limits.maxConcurrentCalls()));
            }
            java.time.Instant now = clock.instant();
            CallsPerMinute window = perMinute;
            if (window != null) {
                if (!window.admits(now)) {
                    return refuse(new OutboundRefusal.TooManyCallsPerMinute(
                            name, limits.maxCallsPerMinute(), window.retryAfter(now)));
                }
                window.started(now);
            }
            active++;
            AtomicBoolean released = new AtomicBoolean();
            return new Admitted(name, () -> {
                if (released.compareAndSet(false, true)) {
                    release();
                }
            });
        }

        private Refused refuse(OutboundRefusal refusal) {
            refused[REASONS.indexOf(refusal.label())]++;
            return new Refused(refusal);
        }

        private synchronized void release() {
            active--;
        }

        synchronized int active() {
            return active;
        }

        synchronized long refused(String reason) {
            int i = REASONS.indexOf(reason);
            return i < 0 ? 0 : refused[i];
        }
    }
}
