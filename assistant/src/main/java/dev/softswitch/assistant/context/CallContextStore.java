package dev.softswitch.assistant.context;

import java.time.Duration;
import java.util.Optional;

/**
 * Call contexts by call id, each claimed at most once. Implementations are safe from any thread; with one shared by
 * several processes (Redis), {@link #claim} is atomic across all of them.
 */
public interface CallContextStore {

    /**
     * Keeps {@code context} under {@code callId} for {@code ttl}, replacing what was there. A bounded store makes room
     * by dropping its oldest entry.
     *
     * @throws IllegalArgumentException when {@code ttl} is not positive
     * @throws CallContextStoreException when a shared store cannot be reached
     */
    void put(String callId, CallContext context, Duration ttl);

    /**
     * Takes the context of {@code callId} out of the store: of any number of concurrent claims, exactly one gets it.
     * Empty when there is none, it was claimed already, or it has expired.
     *
     * @throws CallContextStoreException when a shared store cannot be reached
     */
    Optional<CallContext> claim(String callId);
}
