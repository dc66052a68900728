package dev.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionRefresherTest {

    @Test
    void answersToARefreshMeanGoOnTryAgainOrTheEnd() {
        assertThat(SessionRefresher.outcome(200)).isEqualTo(SessionRefresher.Outcome.REFRESHED);
        assertThat(SessionRefresher.outcome(491)).isEqualTo(SessionRefresher.Outcome.RETRY);
        assertThat(SessionRefresher.outcome(408)).isEqualTo(SessionRefresher.Outcome.ENDED);
        assertThat(SessionRefresher.outcome(481)).isEqualTo(SessionRefresher.Outcome.ENDED);
        assertThat(SessionRefresher.outcome(500)).isEqualTo(SessionRefresher.Outcome.ENDED);
    }

    @Test
    void afterA491TheOwnerOfTheCallIdWaitsLongerThanTheOtherSide() {
        for (int i = 0; i < 1000; i++) {
            assertThat(SessionRefresher.glareDelay(true)).isBetween(Duration.ofMillis(2100), Duration.ofMillis(4000));
            assertThat(SessionRefresher.glareDelay(false)).isBetween(Duration.ZERO, Duration.ofMillis(2000));
        }
    }
}
