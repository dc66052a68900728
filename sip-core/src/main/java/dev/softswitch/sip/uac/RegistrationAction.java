package dev.softswitch.sip.uac;

import dev.softswitch.sip.auth.DigestClient;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What {@link RegistrationMachine} asks its sender to do next. */
public sealed interface RegistrationAction {

    /**
     * Send a REGISTER (a new transaction, the next CSeq).
     *
     * @param expires the {@code Expires} to ask for; 0 removes the binding
     * @param credentials the digest answer to carry, or null to send none
     */
    record Send(int expires, @Nullable DigestAnswer credentials) implements RegistrationAction {}

    /** Nothing to send now; call {@link RegistrationMachine#due} at {@code at} (a refresh or a retry). */
    record Wait(Instant at) implements RegistrationAction {}

    /** Nothing to do, nothing to schedule. */
    record Idle() implements RegistrationAction {}

    /**
     * The digest answer a REGISTER carries: {@code Authorization}, or {@code Proxy-Authorization} when {@code proxy}.
     *
     * @param nonceCount the {@code nc} of this use of the challenge's nonce (1 for the first)
     */
    record DigestAnswer(DigestClient.Challenge challenge, boolean proxy, long nonceCount, String cnonce) {}
}
