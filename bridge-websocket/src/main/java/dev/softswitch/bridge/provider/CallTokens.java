package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.CallContextStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The single-use tokens that tie a media socket to the webhook (or the REST call) that announced it. The webhook stores
 * the call's context under a fresh token (128 random bits, 32 hex digits) for {@link #TTL}; the token travels in the answer document
 * (a {@code <Parameter>}, a header, a query parameter); the media socket claims it, exactly once. An unknown, expired
 * or already claimed token gets no call.
 */
public final class CallTokens {

    /** How long a context waits for its media socket. */
    public static final Duration TTL = Duration.ofMinutes(5);

    // What the context carries besides the assistant and its variables; stripped before the assistant sees them.
    private static final String CALL_ID = "softswitch.call_id";
    private static final String FROM = "softswitch.from";
    private static final String DIRECTION = "softswitch.direction";

    private final CallContextStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CallTokens(CallContextStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new call id: 12 hex digits, as the SIP side's. */
    public String newCallId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Stores what a call is for and returns the token that claims it.
     *
     * @param ttl how long it waits; at least {@link #TTL}
     */
    public String store(ClaimedCall call, @Nullable String trunk, Duration ttl) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes); // letters and digits only: Plivo's extraHeaders allow no more
        Map<String, String> variables = new HashMap<>(call.variables());
        variables.put(CALL_ID, call.callId());
        variables.put(FROM, call.from());
        variables.put(DIRECTION, call.direction());
        store.put(
                token,
                new CallContext(call.assistantId(), variables, call.to(), trunk, clock.instant()),
                ttl.compareTo(TTL) > 0 ? ttl : TTL);
        return token;
    }

    /** The call waiting under {@code token}, taken out of the store; empty when unknown, used or expired. */
    public Optional<ClaimedCall> claim(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return store.claim(token).map(context -> {
            Map<String, String> variables = new HashMap<>(context.variables());
            String callId = variables.remove(CALL_ID);
            String from = variables.remove(FROM);
            String direction = variables.remove(DIRECTION);
            return new ClaimedCall(
                    callId == null ? newCallId() : callId,
                    context.assistantId(),
                    from == null ? "" : from,
                    context.to(),
                    direction == null ? "inbound" : direction,
                    variables);
        });
    }
}
