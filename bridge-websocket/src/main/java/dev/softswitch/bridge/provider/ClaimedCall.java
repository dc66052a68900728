package dev.softswitch.bridge.provider;

import java.util.Map;
import java.util.Objects;

/**
 * A call whose media socket has claimed its context: who talks on it and what they are told.
 *
 * @param callId our id for the call (its log lines and record)
 * @param assistantId the assistant that talks
 * @param from the caller as the provider named it
 * @param to the called party as the provider named it
 * @param direction {@code inbound} or {@code outbound}
 * @param variables what the assistant is told (from the API's request, for a placed call)
 */
public record ClaimedCall(
        String callId, String assistantId, String from, String to, String direction, Map<String, String> variables) {

    public ClaimedCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(assistantId, "assistantId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(direction, "direction");
        variables = Map.copyOf(variables);
    }
}
