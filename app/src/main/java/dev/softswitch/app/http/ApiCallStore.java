package dev.softswitch.app.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The calls placed through the API, by id: those in progress, and the ended ones for a while so that clients can poll
 * how they ended (the last {@code keepEnded} of them, none older than {@code keepFor}). Safe from any thread: the HTTP
 * event loop adds and reads, the calls' own threads retire.
 */
final class ApiCallStore {

    /** One call: what was asked and the handle that says where it stands. */
    record ApiCall(String to, @Nullable String trunk, String assistant, PlacedCall call) {
        String id() {
            return call.id();
        }
    }

    private record Retired(String id, Instant at) {}

    static final int KEEP_ENDED = 10_000;
    static final Duration KEEP_FOR = Duration.ofHours(1);

    private final Clock clock;
    private final int keepEnded;
    private final Duration keepFor;
    private final Map<String, ApiCall> byId = new ConcurrentHashMap<>();
    /** Ended calls, oldest first (guarded by itself). */
    private final ArrayDeque<Retired> ended = new ArrayDeque<>();

    ApiCallStore(Clock clock) {
        this(clock, KEEP_ENDED, KEEP_FOR);
    }

    ApiCallStore(Clock clock, int keepEnded, Duration keepFor) {
        this.clock = clock;
        this.keepEnded = keepEnded;
        this.keepFor = keepFor;
    }

    void add(ApiCall call) {
        byId.put(call.id(), call);
        evict();
    }

    /**
     * The call has ended: it stays visible for {@code keepFor} or until {@code keepEnded} newer ones have ended. May
     * come before {@link #add} (a call that fails at once), and more than once.
     */
    void retire(String id) {
        synchronized (ended) {
            ended.addLast(new Retired(id, clock.instant()));
        }
        evict();
    }

    Optional<ApiCall> find(String id) {
        evict();
        return Optional.ofNullable(byId.get(id));
    }

    /** The calls not ended yet, oldest first. */
    List<ApiCall> active() {
        return byId.values().stream()
                .filter(c -> !c.call().status().isEnded())
                .sorted(java.util.Comparator.comparing(c -> c.call().status().started()))
                .toList();
    }

    int size() {
        return byId.size();
    }

    private void evict() {
        Instant oldest = clock.instant().minus(keepFor);
        synchronized (ended) {
            while (!ended.isEmpty()) {
                Retired head = ended.peekFirst();
                if (ended.size() <= keepEnded && head.at().isAfter(oldest)) {
                    return;
                }
                ended.removeFirst();
                byId.remove(head.id());
            }
        }
    }
}
