package dev.softswitch.bridge.provider;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call to place through a provider's REST API.
 *
 * @param provider the provider's name, e.g. {@code twilio}
 * @param to the number to call
 * @param from the caller id, or null for the provider's configured {@code caller_id}
 * @param assistantId the assistant that talks once answered
 * @param variables what the assistant is told
 * @param ringTimeout how long it may ring
 * @param maxDuration how long it may last once answered (zero: no limit)
 */
public record DialOrder(
        String provider,
        String to,
        @Nullable String from,
        String assistantId,
        Map<String, String> variables,
        Duration ringTimeout,
        Duration maxDuration) {

    public DialOrder {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(assistantId, "assistantId");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(maxDuration, "maxDuration");
        variables = Map.copyOf(variables);
    }
}
