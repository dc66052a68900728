package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GoertzelTest {

    private static final int RATE = 8000;
    private static final int FRAME = 160; // 20 ms

    @Test
    void pureToneIsDetectedAtItsFrequencyAndNotAtANeighbour() {
        short[] tone = new ToneGenerator(1000, RATE, 0.5).next(FRAME);
        assertTrue(relative(tone, 1000) > 0.99, "at 1000 Hz: " + relative(tone, 1000));
        assertTrue(relative(tone, 800) < 0.01, "at 800 Hz: " + relative(tone, 800));
        assertTrue(relative(tone, 1200) < 0.01, "at 1200 Hz: " + relative(tone, 1200));
        assertTrue(relative(tone, 440) < 0.001, "at 440 Hz: " + relative(tone, 440));
    }

    @Test
    void toneBetweenBinsIsStillDetected() {
        short[] tone = new ToneGenerator(1037.3, RATE, 0.5).next(205);
        assertTrue(relative(tone, 1037.3) > 0.99);
        assertTrue(relative(tone, 1237.3) < 0.02);
    }

    @Test
    void powerIsMeanSquareOfTheToneWhateverTheLength() {
        for (int length : new int[] {80, 160, 205, 800, 8000}) {
            short[] tone = new ToneGenerator(697, RATE, 0.5).next(length);
            double power = Goertzel.power(tone, 0, length, 697, RATE);
            assertEquals(0.5 * 0.5 / 2, power, 0.125 * 0.03, "length " + length);
        }
        short[] fullScale = new ToneGenerator(1000, RATE, 1.0).next(FRAME);
        assertEquals(0.5, Goertzel.power(fullScale, 0, FRAME, 1000, RATE), 0.01);
    }

    @Test
    void toneSurvivesAG711RoundTrip() {
        for (double amplitude : new double[] {0.8, 0.3, 0.02}) {
            short[] tone = new ToneGenerator(1000, RATE, amplitude).next(FRAME);
            byte[] payload = new byte[FRAME];
            short[] back = new short[FRAME];
            G711.encodeUlaw(tone, 0, payload, 0, FRAME);
            G711.decodeUlaw(payload, 0, back, 0, FRAME);
            assertTrue(relative(back, 1000) > 0.8, "mu-law, amplitude " + amplitude + ": " + relative(back, 1000));
            assertTrue(relative(back, 1200) < 0.05);
            G711.encodeAlaw(tone, 0, payload, 0, FRAME);
            G711.decodeAlaw(payload, 0, back, 0, FRAME);
            assertTrue(relative(back, 1000) > 0.8, "A-law, amplitude " + amplitude + ": " + relative(back, 1000));
            assertTrue(relative(back, 1200) < 0.05);
        }
    }

    @Test
    void silenceAndWhiteNoiseHaveNoTone() {
        short[] silence = Pcm.silence(FRAME);
        assertEquals(0, relative(silence, 1000));
        assertEquals(0, Goertzel.power(silence, 0, FRAME, 1000, RATE));

        Random random = new Random(20240611);
        short[] noise = new short[FRAME];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * 8000)));
        }
        for (double f : new double[] {440, 697, 1000, 1633, 3000}) {
            assertTrue(relative(noise, f) < 0.1, "noise at " + f + " Hz: " + relative(noise, f));
        }
    }

    @Test
    void dtmfDigitSplitsItsEnergyBetweenTwoTones() {
        // ITU-T Q.23: digit 5 is 770 Hz + 1336 Hz.
        short[] low = new ToneGenerator(770, RATE, 0.3).next(FRAME);
        short[] high = new ToneGenerator(1336, RATE, 0.3).next(FRAME);
        short[] digit = new short[FRAME];
        for (int i = 0; i < FRAME; i++) {
            digit[i] = (short) (low[i] + high[i]);
        }
        assertEquals(0.5, relative(digit, 770), 0.05);
        assertEquals(0.5, relative(digit, 1336), 0.05);
        assertTrue(relative(digit, 852) < 0.02);
        assertTrue(relative(digit, 1209) < 0.02);
    }

    @Test
    void onlyTheGivenSliceIsMeasured() {
        short[] signal = new short[2 * FRAME];
        System.arraycopy(new ToneGenerator(440, RATE, 0.5).next(FRAME), 0, signal, FRAME, FRAME);
        assertEquals(0, Goertzel.relativePower(signal, 0, FRAME, 440, RATE));
        assertTrue(Goertzel.relativePower(signal, FRAME, FRAME, 440, RATE) > 0.99);
        assertEquals(0, Goertzel.relativePower(signal, 0, 0, 440, RATE));
    }

    @Test
    void rejectsBadArguments() {
        short[] x = new short[10];
        assertThrows(IndexOutOfBoundsException.class, () -> Goertzel.power(x, 5, 6, 440, RATE));
        assertThrows(IllegalArgumentException.class, () -> Goertzel.power(x, 0, 10, 5000, RATE));
        assertThrows(IllegalArgumentException.class, () -> Goertzel.relativePower(x, 0, 10, 440, 0));
    }

    private static double relative(short[] samples, double frequencyHz) {
        return Goertzel.relativePower(samples, 0, samples.length, frequencyHz, RATE);
    }
}
