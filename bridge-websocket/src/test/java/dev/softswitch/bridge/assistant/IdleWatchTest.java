package dev.softswitch.bridge.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.bridge.assistant.IdleWatch.Action;
import dev.softswitch.codecs.ToneGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The idle timeout's timing, on a fake clock stepped 20 ms at a time as the assistant's loop turns. */
class IdleWatchTest {

    private static final long TICK = Duration.ofMillis(20).toNanos();

    /** A clock that starts far from zero, so that nothing relies on nanoTime being small or positive. */
    private long now = Long.MAX_VALUE - Duration.ofSeconds(1).toNanos();

    private final IdleWatch watch = new IdleWatch(Duration.ofSeconds(30));

    /** Steps for {@code millis} of 20 ms turns with the given speech, returning every non-NONE action and its time. */
    private List<String> run(IdleWatch w, long millis, boolean caller, boolean assistant) {
        List<String> seen = new ArrayList<>();
        long start = now;
        for (long t = 0; t < millis; t += 20) {
            now += TICK;
            Action action = w.step(now, caller, assistant);
            if (action != Action.NONE) {
                seen.add(action + "@" + Duration.ofNanos(now - start).toMillis());
            }
        }
        return seen;
    }

    @Test
    void aQuietCallIsPromptedOnceAtTheTimeoutAndHungUpHalfTheTimeoutLater() {
        assertThat(watch.step(now, false, false)).isEqualTo(Action.NONE); // idle from here
        assertThat(run(watch, 29_980, false, false)).isEmpty();
        now += TICK;
        assertThat(watch.step(now, false, false)).isEqualTo(Action.PROMPT);
        assertThat(watch.idleMillis(now)).isEqualTo(30_000);
        assertThat(run(watch, 14_980, false, false))
                .as("prompted once, then waits")
                .isEmpty();
        now += TICK;
        assertThat(watch.step(now, false, false)).isEqualTo(Action.HANG_UP);
        assertThat(watch.idleMillis(now)).isEqualTo(45_000);
    }

    @Test
    void theCallerSpeakingResetsTheWaitBeforeThePrompt() {
        watch.step(now, false, false);
        assertThat(run(watch, 20_000, false, false)).isEmpty();
        assertThat(run(watch, 20, true, false)).isEmpty();
        assertThat(watch.idleMillis(now)).isZero();
        assertThat(run(watch, 30_000, false, false))
                .as("the next idle period waits the full timeout again")
                .containsExactly("PROMPT@30000");
    }

    @Test
    void theAssistantSpeakingResetsTheWaitBeforeThePrompt() {
        watch.step(now, false, false);
        assertThat(run(watch, 25_000, false, false)).isEmpty();
        assertThat(run(watch, 3_000, false, true)).isEmpty();
        assertThat(run(watch, 30_000, false, false)).containsExactly("PROMPT@30000");
    }

    @Test
    void theCallerSpeakingAfterThePromptResetsEverythingAndTheNextIdlePeriodIsPromptedAgain() {
        watch.step(now, false, false);
        assertThat(run(watch, 30_000, false, false)).containsExactly("PROMPT@30000");
        assertThat(run(watch, 10_000, false, false)).isEmpty();
        assertThat(run(watch, 500, true, false)).as("\"yes, I'm here\"").isEmpty();
        assertThat(run(watch, 45_000, false, false))
                .as("a fresh period: prompt after the full timeout, hang up half of it later")
                .containsExactly("PROMPT@30000", "HANG_UP@45000");
        assertThat(run(watch, 40, false, false)).as("and on").containsExactly("HANG_UP@20", "HANG_UP@40");
    }

    @Test
    void thePromptsOwnAudioHoldsTheBackOffUntilItEndsButDoesNotCancelIt() {
        watch.step(now, false, false);
        assertThat(run(watch, 30_000, false, false)).containsExactly("PROMPT@30000");
        assertThat(run(watch, 1_000, false, false)).as("the bot thinks").isEmpty();
        assertThat(run(watch, 2_000, false, true))
                .as("\"are you still there?\"")
                .isEmpty();
        List<String> after = run(watch, 15_000, false, false);
        assertThat(after).as("15 s of silence after the question").containsExactly("HANG_UP@15000");
    }

    @Test
    void aBackOffSlowerThanTheLoopStillHangsUpOnTime() {
        IdleWatch short600 = new IdleWatch(Duration.ofMillis(600));
        short600.step(now, false, false);
        assertThat(run(short600, 900, false, false)).containsExactly("PROMPT@600", "HANG_UP@900");
    }

    @Test
    void turnsAtUnevenIntervalsAreMeasuredByTheClockNotCounted() {
        IdleWatch w = new IdleWatch(Duration.ofSeconds(1));
        long t0 = now;
        assertThat(w.step(t0, false, false)).isEqualTo(Action.NONE);
        assertThat(w.step(t0 + Duration.ofMillis(999).toNanos(), false, false)).isEqualTo(Action.NONE);
        assertThat(w.step(t0 + Duration.ofMillis(1003).toNanos(), false, false)).isEqualTo(Action.PROMPT);
        assertThat(w.step(t0 + Duration.ofMillis(1502).toNanos(), false, false)).isEqualTo(Action.NONE);
        assertThat(w.step(t0 + Duration.ofMillis(1503).toNanos(), false, false)).isEqualTo(Action.HANG_UP);
    }

    @Test
    void aZeroOrNegativeTimeoutNeverActs() {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-5))) {
            IdleWatch off = new IdleWatch(timeout);
            assertThat(off.enabled()).isFalse();
            assertThat(run(off, 120_000, false, false)).isEmpty();
            assertThat(off.idleMillis(now)).isZero();
        }
        assertThat(watch.enabled()).isTrue();
    }

    @Test
    void speechIsAFrameAtOrAboveMinus45DbfsRms() {
        assertThat(IdleWatch.SPEECH_RMS).isCloseTo(184.3, Offset.offset(0.1));
        assertThat(IdleWatch.isSpeech(new short[160])).isFalse();
        assertThat(IdleWatch.isSpeech(new short[0])).isFalse();
        // A sine's RMS is its peak / sqrt(2): -42 dBFS is speech, -48 dBFS is not.
        assertThat(IdleWatch.isSpeech(new ToneGenerator(1000, 8000, Math.sqrt(2) * 0.00794).next(160)))
                .isTrue();
        assertThat(IdleWatch.isSpeech(new ToneGenerator(1000, 8000, Math.sqrt(2) * 0.00398).next(160)))
                .isFalse();
        short[] hiss = new short[320];
        for (int i = 0; i < hiss.length; i++) {
            hiss[i] = (short) (i % 2 == 0 ? 100 : -100); // line noise at -50 dBFS
        }
        assertThat(IdleWatch.isSpeech(hiss)).isFalse();
        assertThat(IdleWatch.isSpeech(new ToneGenerator(300, 16000, 0.1).next(320)))
                .as("a quiet voice, -23 dBFS")
                .isTrue();
    }
}
