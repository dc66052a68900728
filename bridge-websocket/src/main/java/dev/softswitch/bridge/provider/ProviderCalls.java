package dev.softswitch.bridge.provider;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider calls in progress, by our id and by the provider's, and where their records go when they end; how many
 * ended, by provider and result; and whether new ones are taken (not while the softswitch drains). Safe from any
 * thread. An ended call leaves the registry once its record is written (whoever holds it may still read it).
 */
public final class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

    private final Clock clock;
    private final Consumer<ProviderCallRecord> records;
    private final Map<String, ProviderCall> byId = new ConcurrentHashMap<>();
    private final Map<String, ProviderCall> byProviderId = new ConcurrentHashMap<>();
    /** Calls ended, by provider and then by result (the record's reason). */
    private final Map<String, Map<String, LongAdder>> ended = new ConcurrentHashMap<>();

    private volatile boolean draining;

    public ProviderCalls(Clock clock, Consumer<ProviderCallRecord> records) {
        this.clock = clock;
        this.records = records;
    }

    /** Follows a new call. */
    public ProviderCall open(String id, String provider, String direction, String from, String to, String assistant) {
        ProviderCall call = new ProviderCall(id, provider, direction, from, to, assistant, clock);
        byId.put(id, call);
        return call;
    }

    public Optional<ProviderCall> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The call the provider knows as {@code providerCallId}. */
    public Optional<ProviderCall> findByProviderId(String provider, String providerCallId) {
        return Optional.ofNullable(byProviderId.get(provider + ":" + providerCallId));
    }

    /** The provider named the call. */
    public void named(ProviderCall call, String providerCallId) {
        if (call.providerCallId(providerCallId)) {
            byProviderId.put(call.provider() + ":" + providerCallId, call);
            if (call.hangUpAsked() && !call.hasMedia()) {
                call.hangUp(); // asked before the provider named it: now it can be ended
            }
        }
    }

    /**
     * Ends a call (once: later ends are ignored), writes its record and forgets it.
     *
     * @param endedBy {@code caller}, {@code callee}, {@code assistant} or {@code softswitch}
     */
    public void end(
            ProviderCall call,
            ProviderCall.Outcome how,
            String endedBy,
            String reason,
            String detail,
            int status,
            int dtmfCount) {
        ProviderCallRecord record = call.end(how, endedBy, reason, detail, status, dtmfCount);
        if (record == null) {
            return;
        }
        byId.remove(call.id());
        if (!record.providerCallId().isEmpty()) {
            byProviderId.remove(call.provider() + ":" + record.providerCallId());
        }
        ended.computeIfAbsent(call.provider(), p -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> new LongAdder())
                .increment();
        log.info("{} ended: {} ({})", call, reason, detail);
        records.accept(record);
        call.fireEnded();
    }

    /**
     * A status callback reported {@code progress}. Ringing is noted; an end is recorded here only for a call that never
     * got its media socket (busy, no answer, failed): a call with media ends, and is recorded, when its socket does.
     */
    public void progress(ProviderCall call, CallProgress progress, String detail) {
        ProviderCall.Outcome outcome = progress.outcome();
        if (progress == CallProgress.RINGING) {
            call.ringing();
        } else if (outcome != null && !call.hasMedia()) {
            String endedBy = progress == CallProgress.CANCELED
                    ? "softswitch"
                    : call.direction().equals("outbound") ? "callee" : "caller";
            String reason = outcome == ProviderCall.Outcome.ANSWERED ? "completed" : outcome.label();
            end(call, outcome, endedBy, reason, detail, progress.sipStatus(), 0);
        }
    }

    /** Calls not ended yet. */
    public int active() {
        return byId.size();
    }

    /** Calls of {@code provider} not ended yet. */
    public int active(String provider) {
        int n = 0;
        for (ProviderCall call : byId.values()) {
            if (call.provider().equals(provider)) {
                n++;
            }
        }
        return n;
    }

    /** The calls not ended yet, as they are now. */
    public List<ProviderCall> inProgress() {
        return List.copyOf(byId.values());
    }

    /** Calls ended so far, by provider and then by result (the record's {@code reason}), sorted. */
    public Map<String, Map<String, Long>> endedByResult() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        ended.forEach((provider, results) -> {
            Map<String, Long> counts = new TreeMap<>();
            results.forEach((result, count) -> counts.put(result, count.sum()));
            out.put(provider, counts);
        });
        return out;
    }

    /** From now on new calls are refused: their webhooks and media sockets (503), AudioSocket connections (closed). */
    public void drain() {
        draining = true;
    }

    /** Whether new calls are refused. */
    public boolean draining() {
        return draining;
    }
}
