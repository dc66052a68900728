package dev.softswitch.sip;

import dev.softswitch.sip.admission.CallRequest;
import dev.softswitch.sip.call.CallFailure;
import dev.softswitch.sip.guard.SipGuard;

/**
 * An admission that tells the guard of every INVITE refused as forbidden (a wrong API key or digest password, an
 * address no trunk allows), so that an address guessing credentials is banned after a few tries. A 401 challenge is
 * not a failure: it is how digest authentication starts.
 */
public final class AuthFailureWatch implements CallAdmission {

    private final CallAdmission admission;
    private final SipGuard guard;

    private AuthFailureWatch(CallAdmission admission, SipGuard guard) {
        this.admission = admission;
        this.guard = guard;
    }

    /** {@code admission}, with its refusals for credentials reported to {@code guard}. */
    public static CallAdmission of(CallAdmission admission, SipGuard guard) {
        return new AuthFailureWatch(admission, guard);
    }

    @Override
    public Decision admit(CallRequest request) {
        Decision decision = admission.admit(request);
        if (decision instanceof Decision.Refuse refuse && refuse.failure() instanceof CallFailure.Forbidden) {
            guard.authFailed(request.source(), request.method());
        }
        return decision;
    }
}
