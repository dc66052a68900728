package dev.softswitch.sip;

import dev.softswitch.sip.call.CallFailure;
import java.net.InetAddress;
import java.util.Optional;

/** Decides whether a caller may place a call at all, before routing. */
@FunctionalInterface
public interface CallAdmission {

    /**
     * @param source the address the INVITE came from
     * @param assistantId the assistant the caller dialled
     * @return why the call is refused, or empty to admit it
     */
    Optional<CallFailure> check(InetAddress source, String assistantId);

    /** The demo's rule: built-in assistants answer callers on this machine, nobody else. */
    static CallAdmission loopbackOnly() {
        return (source, assistantId) -> source.isLoopbackAddress()
                ? Optional.empty()
                : Optional.of(new CallFailure.Forbidden("the demo answers callers on 127.0.0.1 only"));
    }
}
