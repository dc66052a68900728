package dev.softswitch.sip.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sliding minute: never more than its maximum in any 60 s, and no lockout when the clock is set back. */
class CallsPerMinuteTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static boolean start(CallsPerMinute window, Instant at) {
        if (!window.admits(at)) {
            return false;
        }
        window.started(at);
        return true;
    }

    @Test
    void theMaximumStartsThenTheNextWaitsForTheOldestToLeaveTheWindow() {
        CallsPerMinute window = new CallsPerMinute(3);
        assertThat(start(window, T0)).isTrue();
        assertThat(start(window, T0.plusSeconds(10))).isTrue();
        assertThat(start(window, T0.plusSeconds(20))).isTrue();
        assertThat(start(window, T0.plusSeconds(30)))
                .as("a 4th within the minute")
                .isFalse();
        assertThat(window.retryAfter(T0.plusSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(start(window, T0.plusSeconds(59))).isFalse();
        assertThat(window.retryAfter(T0.plusMillis(59_500))).isEqualTo(Duration.ofSeconds(1));
        assertThat(start(window, T0.plusSeconds(60)))
                .as("the first left the window")
                .isTrue();
        assertThat(start(window, T0.plusSeconds(61)))
                .as("not a token bucket: no burst")
                .isFalse();
        assertThat(window.inWindow(T0.plusSeconds(61))).isEqualTo(3);
        assertThat(window.retryAfter(T0.plusSeconds(200))).isEqualTo(Duration.ZERO);
        assertThat(window.inWindow(T0.plusSeconds(200))).isZero();
    }

    @Test
    void refusedAttemptsDoNotCount() {
        CallsPerMinute window = new CallsPerMinute(1);
        assertThat(start(window, T0)).isTrue();
        for (int i = 1; i < 50; i++) {
            assertThat(start(window, T0.plusSeconds(i))).isFalse();
        }
        assertThat(start(window, T0.plusSeconds(60))).isTrue();
    }

    @Test
    void startsAfterNowAreForgottenWhenTheClockIsSetBack() {
        CallsPerMinute window = new CallsPerMinute(2);
        Instant later = T0.plusSeconds(3600);
        assertThat(start(window, later)).isTrue();
        assertThat(start(window, later)).isTrue();
        assertThat(start(window, T0))
                .as("the clock went back an hour: not refused for an hour")
                .isTrue();
        assertThat(window.inWindow(T0)).isEqualTo(1);
    }

    @Test
    void zeroIsNoWindow() {
        assertThatThrownBy(() -> new CallsPerMinute(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
