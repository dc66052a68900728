package dev.softswitch.sip;

import dev.softswitch.sip.admission.CallRequest;
import dev.softswitch.sip.call.CallFailure;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Decides who is calling and which assistant answers, before anything is set up. With a configuration this is the
 * middleware chain; without one, {@link #demo()}.
 */
@FunctionalInterface
public interface CallAdmission {

    Decision admit(CallRequest request);

    /** The outcome: admitted, with the assistant and who was authenticated, or refused with its SIP answer. */
    sealed interface Decision {
        /**
         * @param assistantId the assistant that answers
         * @param caller who was authenticated, for logs and records (never a secret)
         * @param trunk the trunk the call came through, for its call limits; null for other callers
         * @param maxDuration the longest the call may last before we hang up; zero for no limit
         */
        record Admit(
                String assistantId, String caller, @Nullable String trunk, Duration maxDuration) implements Decision {}

        record Refuse(CallFailure failure) implements Decision {}
    }

    /** The demo's rule: anyone on this machine reaches the assistant named in the Request-URI; nobody else. */
    static CallAdmission demo() {
        return request -> request.source().isLoopbackAddress()
                ? new Decision.Admit(request.user(), "demo:" + request.source().getHostAddress(), null, Duration.ZERO)
                : new Decision.Refuse(new CallFailure.Forbidden("the demo answers callers on 127.0.0.1 only"));
    }
}
