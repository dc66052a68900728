package dev.softswitch.sip.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.config.CallLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallLimiterTest {

    private Instant now = Instant.parse("2026-11-22T10:00:00.100Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void concurrentCallsAreCappedUntilOneEnds() {
        CallLimiter limiter = new CallLimiter(clock, new CallLimits(2, 0), Map.of());
        Optional<CallLimiter.Permit> a = limiter.tryAcquire(null);
        Optional<CallLimiter.Permit> b = limiter.tryAcquire(null);
        assertThat(a).isPresent();
        assertThat(b).isPresent();
        assertThat(limiter.tryAcquire(null)).isEmpty();
        a.get().release();
        a.get().release(); // twice is once
        assertThat(limiter.active()).isEqualTo(1);
        assertThat(limiter.tryAcquire(null)).isPresent();
        assertThat(limiter.tryAcquire(null)).isEmpty();
    }

    @Test
    void callsPerSecondCountStartsInTheCurrentSecond() {
        CallLimiter limiter = new CallLimiter(clock, new CallLimits(0, 2), Map.of());
        limiter.tryAcquire(null).orElseThrow().release();
        limiter.tryAcquire(null).orElseThrow().release();
        assertThat(limiter.tryAcquire(null))
                .as("third start in the same second")
                .isEmpty();
        now = now.plusMillis(900); // 10:00:01.000: a new second
        assertThat(limiter.tryAcquire(null)).isPresent();
    }

    @Test
    void aTrunksOwnCapsApplyToItsCallsOnlyAndTheOverallCapToAll() {
        CallLimiter limiter = new CallLimiter(clock, new CallLimits(3, 0), Map.of("carrier", new CallLimits(1, 0)));
        assertThat(limiter.tryAcquire("carrier")).isPresent();
        assertThat(limiter.tryAcquire("carrier"))
                .as("the carrier's second call")
                .isEmpty();
        assertThat(limiter.tryAcquire("other")).isPresent();
        assertThat(limiter.tryAcquire(null)).isPresent();
        assertThat(limiter.tryAcquire(null)).as("overall cap of 3").isEmpty();
        assertThat(limiter.active()).isEqualTo(3);
    }

    @Test
    void aRefusedCallTakesNothing() {
        CallLimiter limiter = new CallLimiter(clock, new CallLimits(1, 0), Map.of("carrier", new CallLimits(0, 1)));
        limiter.tryAcquire("carrier").orElseThrow().release();
        assertThat(limiter.tryAcquire("carrier"))
                .as("carrier's 1 per second used")
                .isEmpty();
        assertThat(limiter.active()).isZero();
        assertThat(limiter.tryAcquire(null))
                .as("the overall count was not taken by the refusal")
                .isPresent();
    }
}
