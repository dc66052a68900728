package dev.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.admission.CallRequest;
import dev.softswitch.sip.call.CallFailure;
import dev.softswitch.sip.guard.SipGuard;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 403 to an INVITE counts as a failed authentication of its source; a 401 challenge and an admission do not. */
class AuthFailureWatchTest {

    private static CallRequest from(String ip) throws Exception {
        return new CallRequest(InetAddress.getByName(ip), "INVITE", "sip:echo@example.com", "echo", "k", null);
    }

    @Test
    void onlyForbiddenCounts() throws Exception {
        SipGuard guard = SipGuard.defaults();
        CallAdmission forbidden = AuthFailureWatch.of(
                r -> new CallAdmission.Decision.Refuse(new CallFailure.Forbidden("invalid API key")), guard);
        CallAdmission challenge = AuthFailureWatch.of(
                r -> new CallAdmission.Decision.Refuse(new CallFailure.Unauthorized(List.of("Digest realm=\"x\""))),
                guard);
        CallAdmission admit =
                AuthFailureWatch.of(r -> new CallAdmission.Decision.Admit("echo", "key", null, Duration.ZERO), guard);

        assertThat(forbidden.admit(from("203.0.113.7"))).isInstanceOf(CallAdmission.Decision.Refuse.class);
        challenge.admit(from("203.0.113.7"));
        admit.admit(from("203.0.113.7"));

        assertThat(guard.stats().authFailures()).isEqualTo(1);
    }
}
