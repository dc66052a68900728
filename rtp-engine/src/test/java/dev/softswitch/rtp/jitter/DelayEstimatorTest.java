package dev.softswitch.rtp.jitter;

import static dev.softswitch.rtp.jitter.Harness.FRAME_NANOS;
import static dev.softswitch.rtp.jitter.Harness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayEstimatorTest {

    private final DelayEstimator estimator = new DelayEstimator();

    /** Frame {@code n}, sent at n * 20 ms, arrives {@code delayNanos} later. */
    private long arrive(int n, long delayNanos) {
        return estimator.arrival(n * FRAME_NANOS, n * FRAME_NANOS + delayNanos);
    }

    @Test
    void startsAt30MillisecondsUntilASecondOfArrivalsHasBeenSeen() {
        assertEquals(30, estimator.targetMs(0));
        for (int n = 0; n < 49; n++) {
            arrive(n, 5 * MS);
        }
        assertEquals(30, estimator.targetMs(49 * FRAME_NANOS));
    }

    @Test
    void aSteadyNetworkNeedsOnlyTheMinimumOf10Milliseconds() {
        for (int n = 0; n < 100; n++) {
            assertEquals(0, arrive(n, 30 * MS));
        }
        assertEquals(10, estimator.targetMs(100 * FRAME_NANOS));
        assertEquals(0.0, estimator.jitterMs());
    }

    @Test
    void theTargetIsThe95thPercentileOfDelaysRelativeToTheFastestFrame() {
        Random random = new Random(1);
        double jitterSum = 0;
        for (int n = 0; n < 2000; n++) {
            arrive(n, 10 * MS + (long) (random.nextDouble() * 100 * MS));
            jitterSum += n >= 1000 ? estimator.jitterMs() : 0;
        }
        int target = estimator.targetMs(2000 * FRAME_NANOS);
        assertTrue(target >= 90 && target <= 100, "target " + target);
        // RFC 3550 A.8 over uniform delays: on average the mean difference of two of them, a third of their range
        double jitter = jitterSum / 1000;
        assertTrue(Math.abs(jitter - 33.3) < 3, "jitter " + jitter);
    }

    @Test
    void theTargetIsClampedTo200Milliseconds() {
        Random random = new Random(1);
        for (int n = 0; n < 1000; n++) {
            arrive(n, (long) (random.nextDouble() * 500 * MS));
        }
        assertEquals(200, estimator.targetMs(1000 * FRAME_NANOS));
    }

    @Test
    void aLoneLateFrameLeavesTheTargetButASecondWithinTenSecondsRaisesItAtOnceForTwiceTheirIntervalUpTo2sThenItSinks() {
        for (int n = 0; n < 100; n++) {
            arrive(n, 5 * MS);
        }
        long relative = arrive(100, 95 * MS);
        assertEquals(90 * MS, relative);
        long now = 100 * FRAME_NANOS + 95 * MS;
        estimator.late(relative, now - 5_000 * MS); // one five seconds before: a one-off
        assertEquals(10, estimator.targetMs(now - 5_000 * MS), "a lone late frame is only concealed");
        estimator.late(relative, now);

        assertEquals(95, estimator.targetMs(now), "what would have saved it, and 5 ms");
        assertEquals(
                95, estimator.targetMs(now + 1_900 * MS), "held for 2 s (twice the time between the two, at most)");
        assertEquals(47, estimator.targetMs(now + 2_250 * MS), "then halved every 250 ms");
        assertEquals(10, estimator.targetMs(now + 4_000 * MS));

        // Late frames a second apart, then no more: the floor holds for twice that after the last, then sinks.
        estimator.late(relative, now + 20_000 * MS);
        assertEquals(10, estimator.targetMs(now + 20_000 * MS), "10 s after the last: a lone one again");
        estimator.late(relative, now + 21_000 * MS);
        assertEquals(95, estimator.targetMs(now + 22_900 * MS));
        assertEquals(10, estimator.targetMs(now + 25_000 * MS));

        // One pause of this host: two frames late 20 ms apart. The floor holds 1 s, and is gone a second later.
        estimator.late(relative, now + 40_000 * MS);
        estimator.late(relative, now + 40_020 * MS);
        assertEquals(95, estimator.targetMs(now + 41_000 * MS));
        assertEquals(10, estimator.targetMs(now + 42_020 * MS));
    }

    @Test
    void theLateFramesOfOneStallAreOneEventAndOnlyASecondStallWithinTenSecondsRaisesTheTarget() {
        for (int n = 0; n < 100; n++) {
            arrive(n, 5 * MS);
        }
        long now = 100 * FRAME_NANOS + 100 * MS;
        // A stall held five frames back for 100 ms; they come out together, 0.1 ms apart: one event.
        for (int i = 0; i < 5; i++) {
            estimator.late((100 - 20 * i) * MS, now + i * MS / 10);
        }
        assertEquals(10, estimator.targetMs(now + MS), "one stall costs its own frames, not every frame's delay");
        // Another stall 3 s later: a pattern. The floor covers the worst of it, held 2 s (twice 3 s, at most 2 s).
        long second = now + 3_000 * MS;
        for (int i = 0; i < 5; i++) {
            estimator.late((80 - 20 * i) * MS, second + i * MS / 10);
        }
        assertEquals(85, estimator.targetMs(second + MS), "what would have saved the worst of it, and 5 ms");
        assertEquals(85, estimator.targetMs(second + 1_900 * MS));
        assertEquals(10, estimator.targetMs(second + 4_000 * MS));
        // Late frames a frame apart are not one release: a path whose delay stepped up. The second raises at once.
        long step = second + 20_000 * MS;
        estimator.late(30 * MS, step);
        estimator.late(30 * MS, step + DelayEstimator.SAME_EVENT_NANOS + FRAME_NANOS - 5 * MS);
        assertEquals(35, estimator.targetMs(step + 100 * MS));
    }

    @Test
    void relativeDelaysFollowTheFastestRecentTransitAfterARestart() {
        for (int n = 0; n < 100; n++) {
            arrive(n, 50 * MS);
        }
        estimator.restartTimeline();
        assertEquals(0, arrive(100, 200 * MS), "measured against the new timeline only");
        assertEquals(10 * MS, arrive(101, 210 * MS));
    }
}
