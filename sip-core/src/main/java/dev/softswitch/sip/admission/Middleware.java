package dev.softswitch.sip.admission;

import dev.softswitch.sip.call.CallFailure;
import java.util.Optional;

/** One step of admission: enriches the context, or ends the request with the failure it returns. */
@FunctionalInterface
public interface Middleware {
    Optional<CallFailure> apply(AdmissionContext context);
}
