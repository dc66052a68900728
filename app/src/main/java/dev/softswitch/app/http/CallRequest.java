package dev.softswitch.app.http;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/calls}, read but not yet checked against the configuration ({@link
 * dev.softswitch.app.dial.DialPlan} does that).
 *
 * @param to the number or SIP URI to call; empty when the body gave none
 * @param trunk the trunk to call through, or null to dial a SIP URI directly
 * @param assistant the assistant that talks; empty when the body gave none
 * @param from the From user, or null for the trunk's caller id
 * @param variables what the assistant is told about the call
 * @param ringTimeout how long it may ring
 * @param maxDuration how long the answered call may last (zero: no limit)
 * @param provider the cloud provider to place it through (its REST API), or null for SIP
 */
record CallRequest(
        String to,
        @Nullable String trunk,
        String assistant,
        @Nullable String from,
        Map<String, String> variables,
        Duration ringTimeout,
        Duration maxDuration,
        @Nullable String provider) {

    CallRequest {
        variables = Map.copyOf(variables);
    }
}
