package dev.softswitch.assistant.context;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a placed call was asked for, waiting for the call to connect.
 *
 * @param assistantId the assistant that talks once the call is answered
 * @param variables what the assistant is told about the call (name to value)
 * @param to the number or SIP URI dialled, as it was asked for
 * @param trunk the configured trunk the call goes through, or null when a SIP URI was dialled directly
 * @param created when the call was asked for
 */
public record CallContext(
        String assistantId,
        Map<String, String> variables,
        String to,
        @Nullable String trunk,
        Instant created) {

    public CallContext {
        Objects.requireNonNull(assistantId, "assistantId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(created, "created");
        variables = Map.copyOf(variables);
    }
}
