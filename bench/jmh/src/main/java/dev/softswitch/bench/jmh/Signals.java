package dev.softswitch.bench.jmh;

import java.util.Random;

/** Speech-like test frames: a few tones of moving pitch plus noise, the same on every run. */
final class Signals {

    private Signals() {}

    /** {@code samples} samples at {@code rate} Hz, peaking near -6 dBFS. */
    static short[] speechLike(int samples, int rate) {
        Random random = new Random(1);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            double t = (double) i / rate;
            double v = 0.3 * Math.sin(2 * Math.PI * 210 * t)
                    + 0.15 * Math.sin(2 * Math.PI * 630 * t + 0.5)
                    + 0.05 * Math.sin(2 * Math.PI * 2400 * t)
                    + 0.02 * random.nextGaussian();
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v * 32767)));
        }
        return out;
    }
}
