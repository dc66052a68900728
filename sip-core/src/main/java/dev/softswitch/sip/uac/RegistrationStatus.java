package dev.softswitch.sip.uac;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A binding's state as logs, metrics and the API show it. Carries no secret.
 *
 * @param trunk the configured trunk's name
 * @param state where the binding stands
 * @param lastStatus the status of the last final response (200, 403, ...), 408 for a transaction timeout, 0 before
 *     any answer or after a transport error
 * @param lastReason what the last answer or failure said, for people
 * @param expiresAt when the carrier drops our binding unless refreshed; null when not registered
 * @param nextAttemptAt when the next REGISTER goes (refresh or retry); null when none is scheduled
 * @param failures attempts that failed since start (refused, no answer, transport error)
 */
public record RegistrationStatus(
        String trunk,
        RegistrationState state,
        int lastStatus,
        String lastReason,
        @Nullable Instant expiresAt,
        @Nullable Instant nextAttemptAt,
        long failures) {

    /** Whether the carrier holds our binding now (the state is {@link RegistrationState#REGISTERED}). */
    public boolean registered() {
        return state == RegistrationState.REGISTERED;
    }
}
