package dev.softswitch.rtp.jitter;

import static dev.softswitch.rtp.jitter.Harness.FRAME;
import static dev.softswitch.rtp.jitter.Harness.FRAME_NANOS;
import static dev.softswitch.rtp.jitter.Harness.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a listener hears around missing frames: a quieter continuation, a fade, never a click. */
class ConcealmentTest {

    private static final double AMPLITUDE = 8000;
    private static final double HZ = 440; // 8.8 periods per frame: repeating a frame as it is would click
    /** The largest step between neighbouring samples of the tone itself. */
    private static final double TONE_STEP = 2 * AMPLITUDE * Math.sin(Math.PI * HZ / 8000);

    private final Harness h = new Harness(0);

    private static short[] tone(int frame) {
        short[] pcm = new short[FRAME];
        for (int i = 0; i < FRAME; i++) {
            pcm[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * HZ * (frame * FRAME + i) / 8000));
        }
        return pcm;
    }

    /** Sends a 440 Hz tone as frames 0 to 59, leaving out {@code missing}; returns what frame {@code n} became. */
    private short[][] playToneWithout(Set<Integer> missing) {
        for (int n = 0; n < 60; n++) {
            if (!missing.contains(n)) {
                h.arrive(n * FRAME_NANOS + 5 * MS, n, (long) n * FRAME, tone(n));
            }
        }
        h.runUntil(60 * FRAME_NANOS + 100 * MS);
        int first = firstNonNull();
        short[][] byFrame = new short[60][];
        for (int n = 0; n < 60; n++) {
            short[] frame = h.played.get(first + n);
            assertNotNull(frame, "frame " + n);
            byFrame[n] = frame;
        }
        return byFrame;
    }

    private int firstNonNull() {
        for (int i = 0; i < h.played.size(); i++) {
            if (h.played.get(i) != null) {
                return i;
            }
        }
        throw new AssertionError("nothing played");
    }

    @Test
    void aSingleLossIsConcealedByAQuieterContinuationWithoutAClick() {
        short[][] out = playToneWithout(Set.of(30));

        short[] before = out[29];
        short[] concealed = out[30];
        assertArrayEquals(tone(29), before);
        assertTrue(
                Harness.energy(concealed) < Harness.energy(before) / 2,
                "energy " + Harness.energy(concealed) + " against " + Harness.energy(before));
        assertTrue(Harness.energy(concealed) > Harness.energy(before) / 8, "still audible");
        // Repeating the frame as it is would jump between the previous frame's end and its own start.
        int naive = Math.abs(before[0] - before[FRAME - 1]);
        assertTrue(naive > 3 * TONE_STEP, "the test tone must make a naive repeat click: " + naive);
        int joint = Math.abs(concealed[0] - before[FRAME - 1]);
        assertTrue(joint <= TONE_STEP, "continues from the last sample played: step " + joint);
        int step = Harness.maxStep(before, concealed);
        assertTrue(step < 1.25 * TONE_STEP, "largest step " + step + ", the tone's own " + TONE_STEP);
        assertEquals(1, h.buffer.stats().lost());
    }

    @Test
    void playOutReturnsToTheSignalWithoutAClickAfterALoss() {
        short[][] out = playToneWithout(Set.of(30));

        int step = Harness.maxStep(out[30], out[31]);
        assertTrue(step < 1.25 * TONE_STEP, "largest step " + step + ", the tone's own " + TONE_STEP);
        short[] expected = tone(31);
        for (int i = FRAME / 4; i < FRAME; i++) {
            assertEquals(expected[i], out[31][i], "after a 5 ms fade in, the signal itself: sample " + i);
        }
        assertArrayEquals(tone(32), out[32]);
    }

    @Test
    void consecutiveLossesFadeToSilenceWithoutAHardCut() {
        short[][] out = playToneWithout(Set.of(30, 31, 32, 33, 34, 35, 36, 37));

        for (int n = 30; n < 33; n++) {
            assertTrue(
                    Harness.energy(out[n + 1]) < Harness.energy(out[n]),
                    "frame " + (n + 1) + " quieter than frame " + n);
        }
        for (int n = 30; n < 38; n++) {
            int step = Harness.maxStep(out[n - 1], out[n]);
            assertTrue(step < 1.25 * TONE_STEP, "frame " + n + ": largest step " + step);
        }
        // -6 dB for 20 ms, then 60 ms down to silence
        assertTrue(Harness.energy(out[33]) < Harness.energy(out[29]) / 50, "nearly silent 80 ms on");
        for (int n = 34; n < 38; n++) {
            assertArrayEquals(new short[FRAME], out[n], "silent from 80 ms on: frame " + n);
        }
        assertTrue(Harness.maxStep(out[37], out[38]) < 1.25 * TONE_STEP, "fades back in");
        assertArrayEquals(tone(39), out[39]);
        assertEquals(8, h.buffer.stats().lost());
        assertEquals(0, h.buffer.stats().resets());
    }

    @Test
    void theLastFrameOfATalkspurtFadesOutBeforeTheBufferFallsSilent() {
        for (int n = 0; n < 20; n++) {
            h.arrive(n * FRAME_NANOS + 5 * MS, n, (long) n * FRAME, tone(n));
        }
        h.runUntil(20 * FRAME_NANOS + 500 * MS);

        int last = h.played.lastIndexOf(null);
        int lastTone = firstNonNull() + 19;
        assertArrayEquals(tone(19), h.played.get(lastTone));
        short[] previous = h.played.get(lastTone);
        int i = lastTone + 1;
        for (; h.played.get(i) != null; i++) {
            short[] frame = h.played.get(i);
            assertTrue(Harness.maxStep(previous, frame) < 1.25 * TONE_STEP, "poll " + i);
            previous = frame;
        }
        assertEquals(0, previous[FRAME - 1], "silent before it stops");
        assertEquals(last, h.played.size() - 1, "and stays stopped");
        assertEquals(0, h.buffer.stats().lost());
        assertEquals(1, h.buffer.stats().resets());
    }
}
