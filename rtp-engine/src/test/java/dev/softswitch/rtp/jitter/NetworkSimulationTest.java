package dev.softswitch.rtp.jitter;

import static dev.softswitch.rtp.jitter.Harness.FRAME_NANOS;
import static dev.softswitch.rtp.jitter.Harness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls over a bad network: each packet delayed by 0 to 60 ms (uniform), 2% lost, 5% held back behind the next one; and
 * senders whose clock runs a little fast or slow. The consumer polls every 20 ms, 3 ms after the sender's ticks.
 */
class NetworkSimulationTest {

    private final Harness h = new Harness(3 * MS);
    private int sentFrom;

    /**
     * Sends frames {@code from} to {@code to} over the bad network, counting those sent from {@code countFrom} on;
     * before {@code jitterFrom} the network is perfect.
     */
    private void badNetwork(long seed, int jitterFrom, int to, int countFrom) {
        Random random = new Random(seed);
        long[] arrival = new long[to + 1];
        for (int n = 0; n <= to; n++) {
            arrival[n] = n * FRAME_NANOS + (n < jitterFrom ? 0 : (long) (random.nextDouble() * 60 * MS));
        }
        for (int n = jitterFrom; n < to; n++) {
            if (random.nextDouble() < 0.05) {
                arrival[n] = Math.max(arrival[n], arrival[n + 1] + MS); // reordered: comes after the next one
            }
        }
        for (int n = 0; n < to; n++) {
            if (n < jitterFrom || random.nextDouble() >= 0.02) {
                h.arrive(arrival[n], n, (long) n * Harness.FRAME, Harness.tagged(n));
                sentFrom += n >= countFrom ? 1 : 0;
            }
        }
    }

    private void assertDelayBetween(int fromPoll, int minMs, int maxMs) {
        List<Integer> settled = h.delays.subList(fromPoll, h.delays.size());
        int min = settled.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = settled.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(
                min >= minMs && max <= maxMs,
                "delay from poll " + fromPoll + " between " + min + " and " + max + " ms: " + h.buffer.stats());
    }

    private void assertPlayedInOrderEachOnce() {
        List<Integer> tags = h.playedTags();
        assertEquals(tags.stream().sorted().distinct().toList(), tags);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void tenSecondsOfJitterLossAndReorderingKeepLateDropsUnderOnePercentAndTheDelayBetween40And120Ms(long seed) {
        badNetwork(seed, 0, 500, 100);

        h.runUntil(100 * FRAME_NANOS); // two seconds to adapt
        long lateBefore = h.buffer.stats().late();
        h.runUntil(500 * FRAME_NANOS + 150 * MS);

        JitterStats stats = h.buffer.stats();
        long late = stats.late() - lateBefore;
        assertTrue(late < sentFrom / 100.0, late + " late of " + sentFrom + " sent after 2 s: " + stats);
        assertDelayBetween(200, 40, 120);
        assertPlayedInOrderEachOnce();
        assertTrue(h.playedTags().size() + stats.lost() >= 490, "played or concealed: " + stats);
        assertTrue(stats.jitterMs() > 10 && stats.jitterMs() < 40, "RFC 3550 jitter: " + stats.jitterMs());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void jitterThatStartsMidCallCostsAFewLateFramesThenTheDelayHasGrown(long seed) {
        badNetwork(seed, 150, 650, 250);

        h.runUntil(150 * FRAME_NANOS);
        assertEquals(0, h.buffer.stats().late());
        assertTrue(h.buffer.stats().currentDelayMs() < 60, "short while the network is perfect: " + h.buffer.stats());
        h.runUntil(250 * FRAME_NANOS);
        long lateWhileAdapting = h.buffer.stats().late();
        h.runUntil(650 * FRAME_NANOS + 150 * MS);

        assertTrue(lateWhileAdapting <= 5, "late in the first two seconds of jitter: " + lateWhileAdapting);
        long late = h.buffer.stats().late() - lateWhileAdapting;
        assertTrue(late < sentFrom / 100.0, late + " late of " + sentFrom + ": " + h.buffer.stats());
        assertDelayBetween(300, 40, 120);
        assertPlayedInOrderEachOnce();
    }

    @ParameterizedTest(name = "sender tick {0} ns")
    @ValueSource(longs = {19_980_000L, 20_020_000L})
    void aSenderClockOffByOnePerMilleIsFollowedByDroppingOrAddingAFrameNowAndThen(long senderTick) {
        Random random = new Random(1);
        for (int n = 0; n < 1500; n++) { // 30 s
            h.arrive(
                    n * senderTick + (long) (random.nextDouble() * 20 * MS),
                    n,
                    (long) n * Harness.FRAME,
                    Harness.tagged(n));
        }
        h.runUntil(1500 * senderTick + 100 * MS);

        JitterStats stats = h.buffer.stats();
        assertTrue(stats.late() <= 2, "late: " + stats);
        assertDelayBetween(100, 15, 120);
        assertPlayedInOrderEachOnce();
        // 30 s at 1/1000 off: 1.5 frames' worth, taken up by a merge or two, or an insert or two
        int played = h.playedTags().size();
        assertTrue(played >= 1495, "played " + played);
    }
}
