package dev.softswitch.codecs;

import java.util.Objects;

/**
 * Measures the power at one frequency with the Goertzel algorithm over a Hann-windowed block: the
 * tone detector behind the audio checks of the integration tests and, later, in-band DTMF.
 *
 * <p>The frequency need not fall on a DFT bin: the recurrence is evaluated at exactly
 * {@code 2 pi f / sampleRate}. The Hann window keeps a strong tone from leaking into frequencies more
 * than about two bins ({@code 2 * sampleRate / length} Hz) away.
 */
public final class Goertzel {

    private Goertzel() {}

    /**
     * The mean-square level of the component at {@code frequencyHz}, with samples scaled so that full
     * scale is 1.0: a sine of peak {@code a} gives about {@code a * a / 2} (0.5 at full scale), whatever
     * the block length.
     */
    public static double power(short[] samples, int offset, int length, double frequencyHz, int sampleRate) {
        return measure(samples, offset, length, frequencyHz, sampleRate, false);
    }

    /**
     * The fraction (0..1) of the block's energy that lies at {@code frequencyHz}: close to 1 for a pure
     * tone at that frequency, close to 0 at a frequency a few bins away, 0 for silence, and about
     * {@code 3 / length} for white noise.
     */
    public static double relativePower(short[] samples, int offset, int length, double frequencyHz, int sampleRate) {
        return measure(samples, offset, length, frequencyHz, sampleRate, true);
    }

    private static double measure(
            short[] samples, int offset, int length, double frequencyHz, int sampleRate, boolean relative) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (sampleRate <= 0 || !(frequencyHz >= 0 && frequencyHz <= sampleRate / 2.0)) {
            throw new IllegalArgumentException(
                    "frequency " + frequencyHz + " Hz is outside 0.." + sampleRate / 2.0 + " Hz");
        }
        if (length == 0) {
            return 0;
        }
        double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        double windowSum = 0;
        double windowSquareSum = 0;
        double energy = 0;
        for (int n = 0; n < length; n++) {
            // Hann window sampled at bin centres: symmetric, never zero, sums to length / 2.
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * (n + 0.5) / length);
            double x = w * samples[offset + n] / 32768.0;
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            windowSum += w;
            windowSquareSum += w * w;
            energy += x * x;
        }
        double magnitudeSquared = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        // A sine of peak a gives |X| = a/2 * sum(w), so a^2/2 = 2 |X|^2 / sum(w)^2.
        double tonePower = Math.max(0, 2 * magnitudeSquared / (windowSum * windowSum));
        if (!relative) {
            return tonePower;
        }
        if (energy == 0) {
            return 0;
        }
        // The same window weights the block's mean square, so a pure tone gives 1.
        double meanSquare = energy / windowSquareSum;
        return Math.min(1, tonePower / meanSquare);
    }
}
