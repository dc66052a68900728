package dev.softswitch.codecs;

/**
 * Linear-phase low-pass FIR filters by the windowed-sinc method with a Kaiser window, sized by
 * Kaiser's formulas (Oppenheim and Schafer, "Discrete-Time Signal Processing", 3rd ed., 7.6.1).
 */
final class KaiserLowpass {

    private KaiserLowpass() {}

    /**
     * The smallest half length (taps either side of the centre) that gives {@code attenuationDb} of
     * stop-band attenuation with a transition band {@code transitionWidth} wide, in cycles per sample.
     */
    static int halfLength(double attenuationDb, double transitionWidth) {
        double order = (attenuationDb - 8) / (2.285 * 2 * Math.PI * transitionWidth);
        return (int) Math.ceil(order / 2);
    }

    /** Kaiser's beta for {@code attenuationDb} above 50 dB. */
    static double beta(double attenuationDb) {
        return 0.1102 * (attenuationDb - 8.7);
    }

    /**
     * The {@code 2 * halfLength + 1} taps of a low-pass filter with its -6 dB point at
     * {@code cutoff} cycles per sample, symmetric about tap {@code halfLength} and scaled to a DC
     * gain of exactly 1.
     */
    static double[] taps(int halfLength, double cutoff, double beta) {
        double[] h = new double[2 * halfLength + 1];
        double sum = 0;
        double scale = besselI0(beta);
        for (int j = 0; j < h.length; j++) {
            int n = j - halfLength;
            double x = (double) n / halfLength;
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - x * x))) / scale;
            double sinc = n == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
            h[j] = sinc * window;
            sum += h[j];
        }
        for (int j = 0; j < h.length; j++) {
            h[j] /= sum;
        }
        return h;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double halfX = x / 2;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= (halfX / k) * (halfX / k);
            sum += term;
        }
        return sum;
    }
}
