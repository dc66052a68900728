package dev.softswitch.rtp.jitter;

import static dev.softswitch.rtp.jitter.Harness.FRAME;
import static dev.softswitch.rtp.jitter.Harness.FRAME_NANOS;
import static dev.softswitch.rtp.jitter.Harness.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JitterBufferTest {

    private final Harness h = new Harness(0);

    private static List<Integer> range(int fromInclusive, int toExclusive) {
        return IntStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    @Test
    void nothingIsPlayedBeforeTheFirstPacket() {
        JitterBuffer buffer = new JitterBuffer(FRAME, FRAME);

        assertNull(buffer.poll(0));
        assertNull(buffer.poll(FRAME_NANOS));
        assertEquals(new JitterStats(0, 0, 0, 0, 0, 0, 0, 0, 30, 0.0), buffer.stats());
    }

    @Test
    void anInOrderStreamPlaysEveryFrameInOrderAndGivesBackTheStartsExtraFrame() {
        for (int n = 0; n < 200; n++) {
            h.send(n, 5 * MS);
        }
        h.runUntil(200 * FRAME_NANOS + 100 * MS);

        List<Integer> tags = h.playedTags();
        assertEquals(tags.stream().sorted().distinct().toList(), tags, "in order, each once");
        assertEquals(199, tags.size(), "two frames played merged into one, once");
        int merged = IntStream.range(0, 200)
                .filter(n -> !tags.contains(n))
                .findFirst()
                .orElseThrow();
        // The target is the 10 ms minimum once a second of arrivals is known; the delay is a frame over it for half a
        // second after that (a second: the frames are not quiet) before a pair is merged.
        assertTrue(merged > 50 && merged < 125, "merged at frame " + merged);
        long firstWait = h.pollTimes.get(h.pollOf(0)) - 5 * MS;
        assertEquals(35 * MS, firstWait); // arrived at 5 ms, 30 ms to wait, played at the next tick: 40 ms
        for (int n = 0; n < 200; n++) {
            if (n != merged) {
                long wait = h.pollTimes.get(h.pollOf(n)) - (n * FRAME_NANOS + 5 * MS);
                assertEquals(n < merged ? firstWait : firstWait - FRAME_NANOS, wait, "frame " + n);
            }
        }
        int first = h.pollOf(0);
        for (int i = 0; i < first + 199; i++) {
            assertEquals(i < first, h.played.get(i) == null, "null before play-out starts and only then: poll " + i);
        }
        JitterStats stats = h.buffer.stats();
        assertEquals(new JitterStats(200, 0, 0, 0, 0, 0, 0, 1, 15, 0.0), stats);
    }

    @Test
    void pollsPhasedThePlayOutLeadAfterTheArrivalsSettleAtTheMinimumDelayAndRideOutJitterWithinIt() {
        // Arrivals 5 ms into each frame, up to 9 ms late (within the 10 ms minimum); polls at 5 ms + the lead.
        Harness phased = new Harness(5 * MS + JitterBuffer.PLAYOUT_LEAD_NANOS);
        Random random = new Random(7);
        for (int n = 0; n < 500; n++) {
            phased.send(n, 5 * MS + (n == 0 ? 0 : (long) (random.nextDouble() * 9 * MS)));
        }
        phased.runUntil(500 * FRAME_NANOS + 100 * MS);

        List<Integer> tags = phased.playedTags();
        assertEquals(tags.stream().sorted().distinct().toList(), tags, "in order, each once");
        assertEquals(499, tags.size(), "from the initial 30 ms to the minimum: two frames merged into one, once");
        for (int n = 400; n < 500; n++) {
            long wait = phased.pollTimes.get(phased.pollOf(n)) - n * FRAME_NANOS;
            assertEquals(
                    5 * MS + JitterBuffer.PLAYOUT_LEAD_NANOS, wait, "frame " + n + " waits only the lead after 5 ms");
        }
        JitterStats stats = phased.buffer.stats();
        assertEquals(0, stats.late(), "no frame came after its play-out");
        assertEquals(0, stats.lost());
    }

    @Test
    void thePlayOutInstantIsWherePollsMakeTheDelayTheTargetToTheMillisecond() {
        Harness clean = new Harness(5 * MS + JitterBuffer.PLAYOUT_LEAD_NANOS);
        assertEquals(Long.MIN_VALUE, clean.buffer.playOutInstant(0), "nothing to follow before a talkspurt plays");
        for (int n = 0; n < 200; n++) {
            clean.send(n, 5 * MS);
        }
        clean.runUntil(200 * FRAME_NANOS);
        // Arrivals 5 ms into each frame without jitter: the least target, the phase the lead gives.
        assertEquals(
                5 * MS + JitterBuffer.PLAYOUT_LEAD_NANOS,
                Math.floorMod(clean.buffer.playOutInstant(200 * FRAME_NANOS), FRAME_NANOS));

        // Up to 14 ms of jitter: the target (its 95th percentile, in whole ms) is 13-14 ms, and the instant 1 ms more
        // after the fastest arrivals (which come a fraction of a millisecond after 5 ms): 14-16 ms after 5 ms, where
        // polls at the lead's 11 ms would have to wait a whole frame more.
        Harness jittery = new Harness(5 * MS + 30 * MS);
        Random random = new Random(11);
        for (int n = 0; n < 400; n++) {
            jittery.send(n, 5 * MS + (long) (random.nextDouble() * 14 * MS));
        }
        jittery.runUntil(400 * FRAME_NANOS);
        long after = Math.floorMod(jittery.buffer.playOutInstant(400 * FRAME_NANOS) - 5 * MS, FRAME_NANOS);
        assertTrue(after >= 14 * MS && after <= 16 * MS, "the instant is " + after / 1e6 + " ms after the arrivals");
    }

    @Test
    void aReorderedPairIsPlayedInTheRightOrder() {
        for (int n = 0; n < 40; n++) {
            h.send(n, n == 20 ? 28 * MS : 5 * MS); // 20 arrives 3 ms after 21
        }
        h.runUntil(60 * FRAME_NANOS);

        assertEquals(range(0, 40), h.playedTags());
        assertEquals(1, h.buffer.stats().reordered());
        assertEquals(0, h.buffer.stats().late());
        assertEquals(0, h.buffer.stats().lost());
    }

    @Test
    void aReorderedPairBeforePlayOutStartsIsPlayedInTheRightOrder() {
        h.send(0, 15 * MS);
        h.send(1, -12 * MS); // overtakes frame 0 before anything is played
        for (int n = 2; n < 10; n++) {
            h.send(n, 1 * MS);
        }
        h.runUntil(30 * FRAME_NANOS);

        assertEquals(range(0, 10), h.playedTags());
        assertEquals(1, h.buffer.stats().reordered());
    }

    @Test
    void duplicatesAreDroppedAndCountedWhetherTheOriginalIsWaitingOrPlayed() {
        for (int n = 0; n < 30; n++) {
            h.send(n, 5 * MS);
        }
        h.send(10, 9 * MS); // while the first copy waits
        h.send(3, 200 * MS); // long after the first copy was played
        h.runUntil(50 * FRAME_NANOS);

        assertEquals(range(0, 30), h.playedTags());
        JitterStats stats = h.buffer.stats();
        assertEquals(2, stats.duplicates());
        assertEquals(32, stats.received());
        assertEquals(0, stats.late());
    }

    @Test
    void aPacketAfterItsPlayOutTimeIsDroppedAsLateAndItsFrameConcealed() {
        for (int n = 0; n < 60; n++) {
            h.send(n, n == 20 ? 150 * MS : 5 * MS);
        }
        h.runUntil(90 * FRAME_NANOS);

        assertEquals(range(0, 60).stream().filter(n -> n != 20).toList(), h.playedTags());
        short[] inPlaceOfTwenty = h.played.get(h.pollOf(19) + 1);
        assertNotNull(inPlaceOfTwenty);
        assertEquals(-1, Harness.tag(inPlaceOfTwenty));
        JitterStats stats = h.buffer.stats();
        assertEquals(1, stats.late());
        assertEquals(1, stats.lost());
        assertEquals(1, stats.reordered());
    }

    @Test
    void aLoneLatePacketIsOnlyConcealedButASecondMakesTheDelayGrowAtOnceSoThatTheNextOneLikeItIsInTime() {
        for (int n = 0; n < 200; n++) {
            h.send(n, n == 60 || n == 100 || n == 150 ? 90 * MS : 5 * MS);
        }
        h.runUntil(220 * FRAME_NANOS);

        int lone = h.pollOf(59) + 1;
        assertTrue(h.delays.get(lone + 8) < 90, "delay after the lone one: " + h.delays.get(lone + 8));
        int late = h.pollOf(99) + 1;
        assertTrue(h.delays.get(late) < 90, "delay before: " + h.delays.get(late));
        assertTrue(h.delays.get(late + 8) >= 90, "delay after: " + h.delays.get(late + 8));
        assertEquals(2, h.buffer.stats().late()); // frames 60 and 100; frame 150 made it
        assertTrue(h.playedTags().contains(150));
        assertFalse(h.playedTags().contains(100));
        assertFalse(h.playedTags().contains(60));
    }

    @Test
    void theDelayShrinksSlowlyOnceTheNetworkCalmsDown() {
        Random random = new Random(7);
        for (int n = 0; n < 1500; n++) {
            h.send(n, n < 500 ? (long) (random.nextDouble() * 150 * MS) : 5 * MS);
        }
        h.runUntil(1500 * FRAME_NANOS + 300 * MS);

        int atCalm = h.delays.get(h.pollOf(500));
        int twoSecondsLater = h.delays.get(h.pollOf(600));
        int atEnd = h.delays.get(h.pollOf(1499));
        assertTrue(atCalm > 100, "delay when the network calms down: " + atCalm);
        assertTrue(twoSecondsLater > 80, "two seconds later: " + twoSecondsLater);
        assertTrue(atEnd <= 60, "twenty seconds later: " + atEnd);
        List<Integer> calm = h.playedTags().stream().filter(n -> n >= 500).toList();
        assertEquals(calm.stream().sorted().distinct().toList(), calm);
    }

    @Test
    void aSilenceOfMoreThan200MillisecondsResetsAndTheNextPacketStartsAfresh() {
        for (int n = 0; n < 50; n++) {
            h.send(n, 5 * MS);
        }
        for (int n = 65; n < 100; n++) { // 300 ms of DTX: sequence numbers go on, timestamps jump
            h.arrive(n * FRAME_NANOS + 5 * MS, n - 15, (long) n * FRAME, Harness.tagged(n));
        }
        h.runUntil(100 * FRAME_NANOS + 100 * MS);

        assertEquals(
                IntStream.concat(IntStream.range(0, 50), IntStream.range(65, 100))
                        .boxed()
                        .toList(),
                h.playedTags());
        int last = h.pollOf(49);
        int next = h.pollOf(65);
        assertNotNull(h.played.get(last + 1), "the last frame fades out rather than stops");
        assertTrue(h.played.subList(last + 1, next).contains(null), "stops emitting, then primes again");
        JitterStats stats = h.buffer.stats();
        assertEquals(1, stats.resets());
        assertEquals(0, stats.lost(), "the fade after a talkspurt is not a loss");
        assertEquals(0, stats.late());
        long wait = h.pollTimes.get(next) - (65 * FRAME_NANOS + 5 * MS);
        assertTrue(wait >= DelayEstimator.MIN_MS * MS && wait <= 60 * MS, "waited " + wait);
    }

    @Test
    void aTalkspurtWhoseTimestampsDidNotMoveOnOverTheSilenceIsPlayedToo() {
        for (int n = 0; n < 50; n++) {
            h.send(n, 5 * MS);
        }
        for (int n = 65; n < 100; n++) { // 300 ms later, but sequence numbers and timestamps carry straight on
            h.arrive(n * FRAME_NANOS + 5 * MS, n - 15, (long) (n - 15) * FRAME, Harness.tagged(n));
        }
        h.runUntil(100 * FRAME_NANOS + 100 * MS);

        assertEquals(
                IntStream.concat(IntStream.range(0, 50), IntStream.range(65, 100))
                        .boxed()
                        .toList(),
                h.playedTags());
        JitterStats stats = h.buffer.stats();
        assertEquals(
                new JitterStats(
                        85, 0, 0, 0, 0, 1, stats.stretched(), stats.merged(), stats.currentDelayMs(), stats.jitterMs()),
                stats);
        assertTrue(stats.currentDelayMs() <= 60, "delay " + stats.currentDelayMs());
    }

    @Test
    void sequenceNumbersAndTimestampsPlayThroughTheirWrap() {
        long ts0 = 0x1_0000_0000L - 10 * FRAME;
        for (int n = 0; n < 40; n++) {
            h.arrive(n * FRAME_NANOS + 5 * MS, 65_534 - 20 + n, ts0 + (long) n * FRAME, Harness.tagged(n));
        }
        h.runUntil(40 * FRAME_NANOS + 100 * MS);

        assertEquals(range(0, 40), h.playedTags());
        JitterStats stats = h.buffer.stats();
        assertEquals(0, stats.resets() + stats.late() + stats.lost() + stats.duplicates());
    }

    @Test
    void aReorderedPairAcrossTheSequenceWrapPlaysInOrder() {
        for (int n = 0; n < 20; n++) {
            int seq = 65_534 + n; // 65534, 65535, 0, 1, ...
            h.arrive(n * FRAME_NANOS + (n == 2 ? 27 * MS : 5 * MS), seq, (long) n * FRAME, Harness.tagged(n));
        }
        h.runUntil(20 * FRAME_NANOS + 100 * MS);

        assertEquals(range(0, 20), h.playedTags());
        assertEquals(1, h.buffer.stats().reordered());
        assertEquals(0, h.buffer.stats().resets());
    }

    @Test
    void aRestartedSenderIsFollowedWithoutABreakOnceTheNextPacketConfirmsIt() {
        for (int n = 0; n < 30; n++) {
            h.send(n, 5 * MS);
        }
        for (int n = 30; n < 60; n++) { // new sequence numbers and timestamps, as after a source switch
            h.arrive(n * FRAME_NANOS + 5 * MS, 40_000 + n, 123_456_789L + (long) n * FRAME, Harness.tagged(n));
        }
        h.runUntil(60 * FRAME_NANOS + 100 * MS);

        assertEquals(range(0, 60), h.playedTags());
        int first = h.pollOf(0);
        assertEquals(
                range(first, first + 60), range(0, 60).stream().map(h::pollOf).toList());
        JitterStats stats = h.buffer.stats();
        assertEquals(1, stats.resets());
        assertEquals(0, stats.late() + stats.lost());
    }

    @Test
    void aSingleStrayPacketFarFromTheSequenceDoesNotRestartTheStream() {
        for (int n = 0; n < 40; n++) {
            h.send(n, 5 * MS);
        }
        h.arrive(20 * FRAME_NANOS + 7 * MS, 30_000, 999_999L, Harness.tagged(9_999));
        h.runUntil(40 * FRAME_NANOS + 100 * MS);

        assertEquals(range(0, 40), h.playedTags());
        assertEquals(0, h.buffer.stats().resets());
        assertEquals(41, h.buffer.stats().received());
    }

    @Test
    void aTimestampJumpWithConsecutiveSequenceNumbersStartsANewTimeline() {
        for (int n = 0; n < 60; n++) {
            long ts = n < 30 ? (long) n * FRAME : 5_000_000L + (long) n * FRAME;
            h.arrive(n * FRAME_NANOS + 5 * MS, n, ts, Harness.tagged(n));
        }
        h.runUntil(60 * FRAME_NANOS + 100 * MS);

        assertEquals(range(0, 60), h.playedTags());
        assertEquals(1, h.buffer.stats().resets());
        assertEquals(0, h.buffer.stats().lost());
    }

    @Test
    void aFrameOfTheWrongSizeIsRefused() {
        JitterBuffer buffer = new JitterBuffer(FRAME, FRAME);

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> buffer.put(1, 0, new short[FRAME - 1], 0));
        assertTrue(e.getMessage().contains("160"), e.getMessage());
    }

    @Test
    void theCallersArrayIsCopiedAndMayBeReused() {
        JitterBuffer buffer = new JitterBuffer(FRAME, FRAME);
        short[] pcm = Harness.tagged(1);
        buffer.put(1, 0, pcm, 0);
        Arrays.fill(pcm, (short) 0);

        assertArrayEquals(Harness.tagged(1), buffer.poll(DelayEstimator.INITIAL_MS * MS));
    }

    @Test
    void describesItself() {
        assertEquals("JitterBuffer(adaptive 10-200 ms, 320 samples per 20 ms)", new JitterBuffer(320, 160).toString());
    }
}
