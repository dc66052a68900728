package dev.softswitch.bridge.provider;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What is written about a provider call once it has ended: the app turns it into a call record line, as for SIP calls.
 *
 * @param callId our id for the call
 * @param provider e.g. {@code twilio}
 * @param providerCallId the provider's id for it ({@code CA...}), or "" when it never got one
 * @param direction {@code inbound} or {@code outbound}
 * @param from the caller, as the provider named it
 * @param to the called party, as the provider named it
 * @param assistant the assistant that talked, or null
 * @param codec the audio on the provider's wire ({@code PCMU}, {@code L16}), or null when no media flowed
 * @param started when the webhook came (inbound) or the REST request was sent (outbound)
 * @param answered when media started, or null
 * @param ended when it ended
 * @param endedBy {@code caller}, {@code callee}, {@code assistant} or {@code softswitch}
 * @param reason a lower snake case label: {@code completed}, {@code assistant_failed}, {@code busy}, ...
 * @param detail a sentence, never a secret
 * @param status the SIP status the end corresponds to: 200 answered, 486 busy, 480 no answer, 503 failed, ...
 * @param dtmfCount keys the caller pressed
 */
public record ProviderCallRecord(
        String callId,
        String provider,
        String providerCallId,
        String direction,
        String from,
        String to,
        @Nullable String assistant,
        @Nullable String codec,
        Instant started,
        @Nullable Instant answered,
        Instant ended,
        String endedBy,
        String reason,
        String detail,
        int status,
        int dtmfCount) {}
