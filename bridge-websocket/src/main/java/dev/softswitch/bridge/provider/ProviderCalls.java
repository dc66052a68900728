package dev.softswitch.bridge.provider;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider calls in progress, by our id and by the provider's, and where their records go when they end. Safe
 * from any thread. An ended call leaves the registry once its record is written (whoever holds it may still read it).
 */
public final class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

    private final Clock clock;
    private final Consumer<ProviderCallRecord> records;
    private final Map<String, ProviderCall> byId = new ConcurrentHashMap<>();
    private final Map<String, ProviderCall> byProviderId = new ConcurrentHashMap<>();

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
}
