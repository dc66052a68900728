package dev.softswitch.sip.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4028 as a UAS: what each request's Session-Expires leads to. */
class SessionTimerTest {

    @ParameterizedTest(name = "Session-Expires: {0}, caller supports timer: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1800;refresher=uac | true  | 1800;refresher=uac required",
                "1800               | true  | 1800;refresher=uac required", // we let the caller refresh
                "1800               | false | 1800;refresher=uas", // it cannot: no watchdog then
                "1800;refresher=uas | true  | 1800;refresher=uas required",
                "1800 ; Refresher = UAC | true | 1800;refresher=uac required",
                "30                 | true  | 422 90",
                "30                 | false | 90;refresher=uas", // raised, not refused
                "''                 | true  | none",
                "abc                | true  | none",
            })
    void negotiation(String sessionExpires, boolean supports, String expected) {
        SessionTimer.Decision d = SessionTimer.negotiate(sessionExpires.isEmpty() ? null : sessionExpires, supports);
        String got =
                switch (d) {
                    case SessionTimer.Decision.None n -> "none";
                    case SessionTimer.Decision.TooSmall t -> "422 " + t.minSe();
                    case SessionTimer.Decision.Use u ->
                        u.timer().headerValue() + (u.timer().required() ? " required" : "");
                };
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void whenTheCallerRefreshesWeGiveUpBeforeExpiry() {
        assertThat(new SessionTimer(1800, "uac", true).byeAfter()).isEqualTo(Duration.ofSeconds(1768));
        assertThat(new SessionTimer(90, "uac", true).byeAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(new SessionTimer(1800, "uas", true).byeAfter()).isNull();
    }

    @org.junit.jupiter.api.Test
    void theAnswerToOurInviteSetsTheTimerWhateverItsIntervalAndWhoRefreshes() {
        SessionTimer t = SessionTimer.ofAnswer("4;refresher=uac");
        org.assertj.core.api.Assertions.assertThat(t).isNotNull();
        org.assertj.core.api.Assertions.assertThat(t.refreshAfter("uac")).isEqualTo(java.time.Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThat(t.byeAfter("uac")).isNull();
        SessionTimer theirs = SessionTimer.ofAnswer("1800;refresher=uas");
        org.assertj.core.api.Assertions.assertThat(theirs.refreshAfter("uac")).isNull();
        org.assertj.core.api.Assertions.assertThat(theirs.byeAfter("uac"))
                .as("1800 s less the smaller of 32 s and a third")
                .isEqualTo(java.time.Duration.ofSeconds(1768));
        org.assertj.core.api.Assertions.assertThat(SessionTimer.ofAnswer("90").refresher())
                .isEqualTo("uac");
        org.assertj.core.api.Assertions.assertThat(SessionTimer.ofAnswer("x;refresher=uac"))
                .isNull();
        org.assertj.core.api.Assertions.assertThat(SessionTimer.ofAnswer("0")).isNull();
        org.assertj.core.api.Assertions.assertThat(SessionTimer.ofAnswer(null)).isNull();
    }

    @org.junit.jupiter.api.Test
    void asCalleeWeRefreshWhenTheCallerMakesUsTheRefresher() {
        var use = (SessionTimer.Decision.Use) SessionTimer.negotiate("90;refresher=uas", true);
        org.assertj.core.api.Assertions.assertThat(use.timer().refreshAfter("uas"))
                .isEqualTo(java.time.Duration.ofSeconds(45));
        org.assertj.core.api.Assertions.assertThat(use.timer().byeAfter("uas")).isNull();
    }
}
