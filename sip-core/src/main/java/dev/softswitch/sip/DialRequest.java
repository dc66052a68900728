package dev.softswitch.sip;

import dev.softswitch.config.DigestCredentials;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One call to place: where it goes, who it is from, which assistant talks, and how long it may ring and last.
 *
 * @param requestUri the SIP URI of the called party, e.g. {@code sip:+15551234567@carrier.example}; it is the
 *     Request-URI and the To URI, and without {@code proxy} its host is where the INVITE goes
 * @param proxy an outbound proxy {@code host[:port]} the INVITE goes through (a loose Route), or null
 * @param transport {@code udp}, {@code tcp} or {@code tls} (TLS needs the server's TLS listener, which it sends from)
 * @param fromUser the user part of From (and Contact): the trunk's caller id or username; PBXs and carriers match it
 * @param trunk the configured trunk the call uses, for logs and the call record; null when dialled directly
 * @param credentials the digest credentials 401 and 407 challenges are answered with, or null to answer none
 * @param assistantId the assistant that talks once the call is answered
 * @param variables what the assistant is told about the call (name to value)
 * @param ringTimeout how long to wait for the answer before cancelling (the call ends as {@code no_answer})
 * @param maxDuration the longest the answered call may last (zero: no limit)
 */
public record DialRequest(
        String requestUri,
        @Nullable String proxy,
        String transport,
        String fromUser,
        @Nullable String trunk,
        @Nullable DigestCredentials credentials,
        String assistantId,
        Map<String, String> variables,
        Duration ringTimeout,
        Duration maxDuration) {

    public DialRequest {
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(fromUser, "fromUser");
        Objects.requireNonNull(assistantId, "assistantId");
        variables = Map.copyOf(variables);
        transport = transport.toLowerCase(Locale.ROOT);
        if (!Set.of("udp", "tcp", "tls").contains(transport)) {
            throw new IllegalArgumentException("transport must be udp, tcp or tls, not " + transport);
        }
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("ring timeout must be positive");
        }
        if (maxDuration.isNegative()) {
            throw new IllegalArgumentException("maximum duration must not be negative");
        }
        if (fromUser.isBlank()) {
            throw new IllegalArgumentException("the From user must not be blank");
        }
    }
}
