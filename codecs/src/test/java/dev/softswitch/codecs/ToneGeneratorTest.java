package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ToneGeneratorTest {

    private static final double FREQUENCY = 1234.5; // not a divisor of the rate: no sample repeats

    @Test
    void framesOfAnySizeJoinIntoOneContinuousTone() {
        ToneGenerator framed = new ToneGenerator(FREQUENCY, 8000, 0.5);
        short[] joined = new short[8000];
        int[] sizes = {160, 7, 333, 1, 160, 80};
        int at = 0;
        for (int i = 0; at < joined.length; i++) {
            short[] frame = framed.next(Math.min(sizes[i % sizes.length], joined.length - at));
            System.arraycopy(frame, 0, joined, at, frame.length);
            at += frame.length;
        }
        assertArrayEquals(new ToneGenerator(FREQUENCY, 8000, 0.5).next(8000), joined);
        for (int n = 0; n < joined.length; n++) {
            double expected = 0.5 * 32767 * Math.sin(2 * Math.PI * FREQUENCY * n / 8000);
            assertEquals(expected, joined[n], 1.0, "sample " + n);
        }
    }

    @Test
    void frequencyMeasuredOverConcatenatedFramesIsTheOneAskedFor() {
        ToneGenerator tone = new ToneGenerator(FREQUENCY, 8000, 0.3);
        short[] second = new short[8000];
        for (int at = 0; at < second.length; at += 160) {
            short[] frame = new short[160];
            tone.next(frame);
            System.arraycopy(frame, 0, second, at, 160);
        }
        assertEquals(FREQUENCY, zeroCrossingFrequency(second, 8000), 0.05);
        assertTrue(Goertzel.relativePower(second, 0, second.length, FREQUENCY, 8000) > 0.999);
    }

    @Test
    void amplitudeIsAFractionOfFullScale() {
        short[] loud = new ToneGenerator(1000, 8000, 1.0).next(800);
        short[] quiet = new ToneGenerator(1000, 16000, 0.1).next(800);
        assertEquals(32767, max(loud));
        assertEquals(3277, max(quiet), 1);
        assertEquals(0, max(new ToneGenerator(1000, 8000, 0).next(80)));
    }

    @Test
    void rejectsImpossibleTones() {
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(0, 8000, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(4000, 8000, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(Double.NaN, 8000, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(440, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(440, 8000, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(440, 8000, -0.1));
    }

    /** Upward zero crossings, located by linear interpolation, over the span between the first and last. */
    private static double zeroCrossingFrequency(short[] x, int sampleRate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int n = 1; n < x.length; n++) {
            if (x[n - 1] < 0 && x[n] >= 0) {
                double t = n - 1 + (double) -x[n - 1] / (x[n] - x[n - 1]);
                if (first < 0) {
                    first = t;
                } else {
                    crossings++;
                }
                last = t;
            }
        }
        return crossings * sampleRate / (last - first);
    }

    private static int max(short[] x) {
        int max = 0;
        for (short s : x) {
            max = Math.max(max, Math.abs(s));
        }
        return max;
    }
}
