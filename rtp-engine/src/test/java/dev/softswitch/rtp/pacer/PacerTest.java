package dev.softswitch.rtp.pacer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long PERIOD = Pacer.DEFAULT_PERIOD_NANOS;

    /** Records the ticks it is given. */
    private static final class Recorder implements Pacer.Tickable {
        final List<Long> ticks = new CopyOnWriteArrayList<>();

        @Override
        public void tick(long tick) {
            ticks.add(tick);
        }
    }

    @Test
    void aTickReachesEverythingRegistered() {
        try (Pacer pacer = new Pacer()) {
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            Recorder c = new Recorder();
            pacer.add(a);
            pacer.add(b);
            pacer.add(c);

            pacer.tickOnce(7);
            pacer.tickOnce(8);

            assertEquals(3, pacer.registered());
            assertEquals(List.of(7L, 8L), a.ticks);
            assertEquals(List.of(7L, 8L), b.ticks);
            assertEquals(List.of(7L, 8L), c.ticks);
            assertEquals(8, pacer.currentTick());
        }
    }

    @Test
    void aRemovedTickableIsNoLongerTicked() {
        try (Pacer pacer = new Pacer()) {
            Recorder stays = new Recorder();
            Recorder leaves = new Recorder();
            pacer.add(stays);
            pacer.add(leaves);
            pacer.tickOnce(1);

            pacer.remove(leaves);
            pacer.tickOnce(2);

            assertEquals(1, pacer.registered());
            assertEquals(List.of(1L, 2L), stays.ticks);
            assertEquals(List.of(1L), leaves.ticks);
        }
    }

    @Test
    void aTickableThatThrowsIsRemovedAndTheOthersKeepTicking() {
        try (Pacer pacer = new Pacer()) {
            Recorder before = new Recorder();
            Recorder after = new Recorder();
            AtomicInteger faultyCalls = new AtomicInteger();
            pacer.add(before);
            pacer.add(tick -> {
                faultyCalls.incrementAndGet();
                throw new IllegalStateException("broken call");
            });
            pacer.add(after);

            pacer.tickOnce(1);
            pacer.tickOnce(2);

            assertEquals(1, faultyCalls.get(), "ticked once, then removed");
            assertEquals(2, pacer.registered());
            assertEquals(List.of(1L, 2L), before.ticks);
            assertEquals(List.of(1L, 2L), after.ticks);
        }
    }

    @Test
    void aStartedPacerTicksOnItsOwnAndCountsItsTicks() {
        Recorder recorder = new Recorder();
        Pacer pacer = new Pacer("test-pacer", 1_000_000L, System::nanoTime);
        pacer.add(recorder);
        try (pacer) {
            pacer.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.ticks.size() >= 20);
            long seen = recorder.ticks.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.ticks.size() > seen);
        }

        // Closed: the thread has stopped, so the counts are final and can be compared exactly.
        List<Long> ticks = new ArrayList<>(recorder.ticks);
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i) > ticks.get(i - 1), "tick numbers only go up: " + ticks);
        }
        // Ticks count periods since the pacer was made: the first is the period it was started in.
        assertTrue(ticks.get(0) >= 0);
        PacingStats stats = pacer.stats();
        assertEquals(ticks.size(), stats.ticks(), "every tick run is in the stats");
        assertEquals(
                ticks.get(ticks.size() - 1),
                ticks.get(0) + ticks.size() - 1 + stats.skippedTicks(),
                "skipped ticks are counted");
        assertTrue(stats.lateMicrosAt(0.5) > 0);
        assertTrue(stats.maxLateMicros() >= 0);
    }

    @Test
    void aPacerThatWakesPeriodsLateSkipsTheMissedTicksInsteadOfBurstingThem() {
        AtomicLong now = new AtomicLong(); // the pacer's clock, moved by the test
        Recorder recorder = new Recorder();
        Pacer pacer = new Pacer("test-pacer", PERIOD, now::get);
        pacer.add(recorder);
        try (pacer) {
            pacer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.ticks.equals(List.of(0L)));

            // Tick 1 was due at 20 ms; the clock jumps to 80.005 ms: ticks 1, 2 and 3 are missed.
            now.set(4 * PERIOD + 5_000);

            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.ticks.size() == 2);
            assertEquals(List.of(0L, 4L), recorder.ticks);
            assertEquals(3, pacer.stats().skippedTicks());
            assertEquals(60_005, pacer.stats().maxLateMicros());

            // Tick 5 is due at 100 ms: exactly on time now.
            now.set(5 * PERIOD);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.ticks.size() == 3);
            assertEquals(List.of(0L, 4L, 5L), recorder.ticks);
            assertEquals(3, pacer.stats().skippedTicks());
            assertEquals(5, pacer.currentTick());
        }
        assertEquals(3, pacer.stats().ticks());
    }

    @Test
    void aPacerWhoseClockStandsStillDoesNotTick() {
        Recorder recorder = new Recorder();
        AtomicInteger clockReads = new AtomicInteger();
        Pacer pacer = new Pacer("test-pacer", PERIOD, () -> {
            clockReads.incrementAndGet();
            return 0L;
        });
        pacer.add(recorder);
        try (pacer) {
            pacer.start();
            // Tick 0 is due at once; tick 1 never is. The loop keeps looking at the clock (it wakes every period).
            await().atMost(Duration.ofSeconds(5)).until(() -> clockReads.get() >= 5);
        }
        assertEquals(List.of(0L), recorder.ticks);
    }

    @Test
    void eachTickableIsTickedAtItsPhaseOfThePeriodWithThePeriodsNumber() {
        AtomicLong now = new AtomicLong(); // the pacer's clock, moved by the test
        List<String> runs = new CopyOnWriteArrayList<>();
        Pacer pacer = new Pacer("test-pacer", PERIOD, 20, now::get);
        pacer.add(tick -> runs.add("a" + tick + "@" + now.get() / 1_000_000), 0);
        pacer.add(tick -> runs.add("b" + tick + "@" + now.get() / 1_000_000), 5);
        pacer.add(tick -> runs.add("c" + tick + "@" + now.get() / 1_000_000), 19);
        try (pacer) {
            pacer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
            for (long ms : new long[] {4, 5, 19, 20, 25}) {
                now.set(ms * 1_000_000);
                int seen = runs.size();
                if (ms != 4) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() > seen);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 5);
        }
        assertEquals(List.of("a0@0", "b0@5", "c0@19", "a1@20", "b1@25"), runs);
    }

    @Test
    void phaseAtNamesThePhaseWhoseRunComesFirstAtOrAfterAnInstant() {
        AtomicLong now = new AtomicLong(3 * PERIOD); // made at 60 ms: phases count from there
        try (Pacer pacer = new Pacer("test-pacer", PERIOD, 20, now::get)) {
            assertEquals(0, pacer.phaseAt(3 * PERIOD));
            assertEquals(6, pacer.phaseAt(3 * PERIOD + 5_300_000));
            assertEquals(5, pacer.phaseAt(10 * PERIOD + 5_000_000), "exactly on a phase: that phase");
            assertEquals(0, pacer.phaseAt(3 * PERIOD + 19_500_000), "past the last phase: the next period's first");
            assertEquals(19, pacer.phaseAt(3 * PERIOD - 1_000_000), "before the origin too");
        }
    }

    @Test
    void tickAtAndNextRunAgreeWithTheLoopsNumbering() {
        AtomicLong now = new AtomicLong(3 * PERIOD); // made at 60 ms: period 0 starts there
        try (Pacer pacer = new Pacer("test-pacer", PERIOD, 20, now::get)) {
            assertEquals(0, pacer.tickAt(3 * PERIOD));
            assertEquals(0, pacer.tickAt(3 * PERIOD + 19_000_000));
            assertEquals(1, pacer.tickAt(3 * PERIOD + 19_500_000), "rounded up to the next period's phase 0");
            assertEquals(2, pacer.tickAt(5 * PERIOD + 7_000_000));
            assertEquals(-1, pacer.tickAt(3 * PERIOD - 1_000_000), "before the origin");

            assertEquals(3 * PERIOD + 5_000_000, pacer.nextRun(5, 3 * PERIOD));
            assertEquals(4 * PERIOD + 5_000_000, pacer.nextRun(5, 3 * PERIOD + 5_000_000), "strictly after");
            assertEquals(4 * PERIOD, pacer.nextRun(0, 3 * PERIOD + 12_300_000));
            assertEquals(3 * PERIOD - 1_000_000, pacer.nextRun(19, 3 * PERIOD - 2_500_000), "before the origin too");
            long run = pacer.nextRun(13, 7 * PERIOD + 15_000_000);
            assertEquals(13, pacer.phaseAt(run));
            assertEquals(5, pacer.tickAt(run), "the period after the instant's, since phase 13 of its own had passed");
            assertThrows(IllegalArgumentException.class, () -> pacer.nextRun(20, 0));
        }
    }

    @Test
    void aWakeThreeMillisecondsLateIsAPauseOfTheHostForTheTimeAsked() {
        AtomicLong now = new AtomicLong();
        try (Pacer pacer = new Pacer("test-pacer", PERIOD, 20, now::get)) {
            assertFalse(pacer.pausedWithin(PERIOD), "no pause yet");
            pacer.tickOnceLate(1, Pacer.PAUSE_NANOS - 1);
            assertFalse(pacer.pausedWithin(PERIOD), "a wake a little late is not a pause");
            now.set(1_000_000_000L);
            pacer.tickOnceLate(2, Pacer.PAUSE_NANOS);
            assertTrue(pacer.pausedWithin(PERIOD));
            now.addAndGet(PERIOD - 1);
            pacer.tickOnce(3); // on time
            assertTrue(pacer.pausedWithin(PERIOD), "a period after the pause began: still just now");
            now.addAndGet(1);
            assertFalse(pacer.pausedWithin(PERIOD));
        }
    }

    @Test
    void tickablesAddedWithoutAPhaseAreSpreadOverThePeriodAndCanBeMoved() {
        try (Pacer pacer = new Pacer()) {
            List<Recorder> recorders = new ArrayList<>();
            int[] perPhase = new int[pacer.phases()];
            for (int i = 0; i < 2 * pacer.phases(); i++) {
                Recorder r = new Recorder();
                recorders.add(r);
                pacer.add(r);
                perPhase[pacer.phaseOf(r)]++;
            }
            for (int count : perPhase) {
                assertEquals(2, count, "two in each phase");
            }
            Recorder moved = recorders.get(0);
            pacer.move(moved, 7);
            assertEquals(7, pacer.phaseOf(moved));
            assertEquals(2 * pacer.phases(), pacer.registered());
            pacer.tickOnce(1);
            assertEquals(List.of(1L), moved.ticks, "ticked once, at its new phase");
            pacer.remove(moved);
            pacer.move(moved, 3);
            assertEquals(-1, pacer.phaseOf(moved), "a removed tickable is not brought back by a move");
            assertEquals(2 * pacer.phases() - 1, pacer.registered());
            assertThrows(IllegalArgumentException.class, () -> pacer.move(recorders.get(1), pacer.phases()));
        }
    }

    @Test
    void rejectsPhasesThatDoNotDivideThePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer("p", PERIOD, 7, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new Pacer("p", PERIOD, 0, System::nanoTime));
    }

    @Test
    void rejectsANonPositivePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer("p", 0, System::nanoTime));
    }
}
