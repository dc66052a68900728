package dev.softswitch.codecs;

/**
 * Decides whether one block of audio holds exactly one DTMF key, by the reception conditions of ITU-T
 * Q.24: one low-group and one high-group tone, each clearly the strongest in
 * its group, both loud enough, level difference (twist) within limits, and together nearly all of the
 * block's energy. Durations and pauses are the {@link DtmfDetector}'s business. Immutable.
 */
final class DtmfClassifier {

    /** No key in the block. */
    static final char NONE = 0;

    /**
     * A sine at 0 dBm0 is 3.17 dB below a full-scale sine (ITU-T G.711: the mu-law coder overloads at
     * +3.17 dBm0), so its mean square, with full scale 1.0, is 0.5 * 10^(-0.317).
     */
    static final double ZERO_DBM0 = 0.5 * Math.pow(10, -3.17 / 10);

    /**
     * Each tone must reach -30 dBm0 (the administrations in Q.24 put the must-operate limit between
     * about -25 and -30 dBm0 per tone): a sine of peak about 720 in 16-bit samples.
     */
    static final double MIN_TONE_POWER = ZERO_DBM0 * dB(-30);

    /**
     * The high-group tone may be up to 4 dB stronger than the low-group tone and up to 8 dB weaker
     * (Q.24; lines lose more at high frequencies). The limits here are wider by what a Goertzel
     * bin loses on a tone 1.5 % off its nominal frequency (Q.24 must accept that too): up to 0.5 dB at
     * 941 Hz and 1.4 dB at 1633 Hz.
     */
    static final double MAX_HIGH_OVER_LOW = dB(4 + 0.5);

    /** See {@link #MAX_HIGH_OVER_LOW}. */
    static final double MAX_LOW_OVER_HIGH = dB(8 + 1.5);

    /** The winning tone of each group must beat the runner-up of that group by 8 dB. */
    static final double MIN_DOMINANCE = dB(8);

    /**
     * The two tones must carry this share of the block's energy: speech and music spread theirs over
     * many frequencies, a key press (even through G.711 or some noise) does not.
     */
    static final double MIN_TONE_SHARE = 0.75;

    private final int sampleRate;
    private final int length;
    private final double[] window;
    private final double windowSquareSum;

    /** For blocks of {@code length} samples at {@code sampleRate}. */
    DtmfClassifier(int sampleRate, int length) {
        this.sampleRate = sampleRate;
        this.length = length;
        this.window = new double[length];
        double sum = 0;
        for (int n = 0; n < length; n++) {
            // The same Hann window Goertzel applies, so the two measures are on one scale.
            window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (n + 0.5) / length);
            sum += window[n] * window[n];
        }
        this.windowSquareSum = sum;
    }

    /** The key held in {@code samples[offset .. offset + length)}, or {@link #NONE}. */
    char classify(short[] samples, int offset) {
        double energy = 0;
        for (int n = 0; n < length; n++) {
            double x = window[n] * samples[offset + n] / 32768.0;
            energy += x * x;
        }
        double meanSquare = energy / windowSquareSum;
        if (meanSquare < MIN_TONE_POWER) {
            return NONE; // too quiet to hold even one tone loud enough: skip the Goertzels
        }
        double[] low = powers(samples, offset, DtmfKeypad.LOW_HZ);
        double[] high = powers(samples, offset, DtmfKeypad.HIGH_HZ);
        int row = strongest(low);
        int column = strongest(high);
        double lowPower = low[row];
        double highPower = high[column];
        boolean accepted = lowPower >= MIN_TONE_POWER
                && highPower >= MIN_TONE_POWER
                && highPower <= lowPower * MAX_HIGH_OVER_LOW
                && lowPower <= highPower * MAX_LOW_OVER_HIGH
                && lowPower >= runnerUp(low, row) * MIN_DOMINANCE
                && highPower >= runnerUp(high, column) * MIN_DOMINANCE
                && lowPower + highPower >= meanSquare * MIN_TONE_SHARE;
        return accepted ? DtmfKeypad.key(row, column) : NONE;
    }

    private double[] powers(short[] samples, int offset, double[] frequencies) {
        double[] powers = new double[frequencies.length];
        for (int i = 0; i < frequencies.length; i++) {
            powers[i] = Goertzel.power(samples, offset, length, frequencies[i], sampleRate);
        }
        return powers;
    }

    private static int strongest(double[] powers) {
        int best = 0;
        for (int i = 1; i < powers.length; i++) {
            if (powers[i] > powers[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double runnerUp(double[] powers, int best) {
        double second = 0;
        for (int i = 0; i < powers.length; i++) {
            if (i != best && powers[i] > second) {
                second = powers[i];
            }
        }
        return second;
    }

    private static double dB(double decibels) {
        return Math.pow(10, decibels / 10);
    }
}
