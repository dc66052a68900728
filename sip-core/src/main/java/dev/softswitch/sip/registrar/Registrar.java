package dev.softswitch.sip.registrar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bindings of address-of-record to contacts, following RFC 3261 10.3 steps 6 to 8: a wildcard removes every binding
 * (only alone and with {@code Expires: 0}), each contact's expiry comes from its parameter, else the Expires header,
 * else the default; an expiry under the minimum is refused (423); a registration older than the binding's (same
 * Call-ID, lower or equal CSeq) is refused. Thread-safe; bounded per address.
 */
public final class Registrar {

    public static final int MIN_EXPIRES = 60;
    public static final int MAX_EXPIRES = 3600;
    public static final int DEFAULT_EXPIRES = 3600;
    /** Contacts kept per address of record; the one that expires first goes when a new one would exceed it. */
    public static final int MAX_BINDINGS_PER_AOR = 10;

    /** What a REGISTER did. */
    public sealed interface Result {
        /** Done: the bindings now in force (the 200 OK lists them). */
        record Updated(List<Binding> bindings) implements Result {}

        /** An expiry under {@link #MIN_EXPIRES}: 423 with {@code Min-Expires}. */
        record IntervalTooBrief(int minExpires) implements Result {}

        /** A malformed request (a wildcard with other contacts or a non-zero expiry): 400 with this reason. */
        record Invalid(String reason) implements Result {}

        /** Older than the binding it would change (RFC 3261 10.3 step 7): 500. */
        record OutOfOrder() implements Result {}
    }

    private final Map<String, List<Binding>> byAor = new HashMap<>();

    /**
     * Applies one REGISTER for {@code aor}.
     *
     * @param contacts its Contact headers (empty for a query)
     * @param wildcard whether it carried {@code Contact: *}
     * @param headerExpires its Expires header in seconds, or -1 when it has none
     */
    public synchronized Result register(
            String aor,
            List<ContactRequest> contacts,
            boolean wildcard,
            int headerExpires,
            String callId,
            long cseq,
            Instant now) {
        List<Binding> current = live(aor, now);
        if (wildcard) {
            if (!contacts.isEmpty() || headerExpires != 0) {
                return new Result.Invalid("Contact: * must stand alone, with Expires: 0");
            }
            for (Binding b : current) {
                if (b.callId().equals(callId) && cseq <= b.cseq()) {
                    return new Result.OutOfOrder();
                }
            }
            byAor.remove(aor);
            return new Result.Updated(List.of());
        }
        for (ContactRequest c : contacts) {
            int expires = expiresOf(c, headerExpires);
            if (expires != 0 && expires < MIN_EXPIRES) {
                return new Result.IntervalTooBrief(MIN_EXPIRES);
            }
        }
        List<Binding> next = new ArrayList<>(current);
        for (ContactRequest c : contacts) {
            int expires = Math.min(expiresOf(c, headerExpires), MAX_EXPIRES);
            Binding existing = find(next, c.uri());
            if (existing != null) {
                if (existing.callId().equals(callId) && cseq <= existing.cseq()) {
                    return new Result.OutOfOrder();
                }
                next.remove(existing);
            }
            if (expires > 0) {
                next.add(new Binding(c.uri(), now.plusSeconds(expires), callId, cseq));
            }
        }
        while (next.size() > MAX_BINDINGS_PER_AOR) {
            next.remove(next.stream()
                    .min((a, b) -> a.expires().compareTo(b.expires()))
                    .orElseThrow());
        }
        if (next.isEmpty()) {
            byAor.remove(aor);
        } else {
            byAor.put(aor, next);
        }
        return new Result.Updated(List.copyOf(next));
    }

    /** The bindings of {@code aor} still in force at {@code now}. */
    public synchronized List<Binding> bindings(String aor, Instant now) {
        return List.copyOf(live(aor, now));
    }

    /** Addresses of record with at least one binding (expired ones may count until next looked at). */
    public synchronized int size() {
        return byAor.size();
    }

    private List<Binding> live(String aor, Instant now) {
        List<Binding> all = byAor.getOrDefault(aor, List.of());
        List<Binding> live = all.stream().filter(b -> b.expires().isAfter(now)).toList();
        if (live.size() != all.size()) {
            if (live.isEmpty()) {
                byAor.remove(aor);
            } else {
                byAor.put(aor, new ArrayList<>(live));
            }
        }
        return live;
    }

    private static int expiresOf(ContactRequest c, int headerExpires) {
        if (c.expires() >= 0) {
            return c.expires();
        }
        return headerExpires >= 0 ? headerExpires : DEFAULT_EXPIRES;
    }

    private static @org.jspecify.annotations.Nullable Binding find(List<Binding> bindings, String uri) {
        for (Binding b : bindings) {
            if (b.contact().equals(uri)) {
                return b;
            }
        }
        return null;
    }
}
