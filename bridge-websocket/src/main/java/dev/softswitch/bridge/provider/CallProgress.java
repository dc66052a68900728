package dev.softswitch.bridge.provider;

import org.jspecify.annotations.Nullable;

/**
 * What a status callback says about a call, in one vocabulary for every provider (Twilio {@code CallStatus}, Vonage
 * {@code status}, Plivo {@code CallStatus}, Telnyx {@code event_type}, Exotel {@code Status}): each knows the outcome it
 * ends the call with, if it ends it, and the SIP status it corresponds to.
 */
public enum CallProgress {
    QUEUED(null, 0),
    RINGING(null, 180),
    ANSWERED(null, 200),
    COMPLETED(ProviderCall.Outcome.ANSWERED, 200),
    BUSY(ProviderCall.Outcome.BUSY, 486),
    NO_ANSWER(ProviderCall.Outcome.NO_ANSWER, 480),
    REJECTED(ProviderCall.Outcome.REJECTED, 603),
    CANCELED(ProviderCall.Outcome.CANCELLED, 487),
    FAILED(ProviderCall.Outcome.FAILED, 503);

    private final ProviderCall.@Nullable Outcome outcome;
    private final int sipStatus;

    CallProgress(ProviderCall.@Nullable Outcome outcome, int sipStatus) {
        this.outcome = outcome;
        this.sipStatus = sipStatus;
    }

    /** How the call ends with this, or null when it goes on. */
    public ProviderCall.@Nullable Outcome outcome() {
        return outcome;
    }

    public int sipStatus() {
        return sipStatus;
    }
}
