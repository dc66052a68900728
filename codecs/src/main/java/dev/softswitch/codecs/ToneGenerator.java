package dev.softswitch.codecs;

/**
 * A sine tone generator whose phase carries on from one frame to the next, so frames of any size
 * join into one continuous tone. Not thread-safe: one per stream.
 */
public final class ToneGenerator {

    private static final double TWO_PI = 2 * Math.PI;

    private final double frequencyHz;
    private final int sampleRate;
    private final double peak;
    private final double phaseStep;
    private double phase;

    /**
     * A tone of {@code frequencyHz}, below the Nyquist frequency of {@code sampleRate}, with a peak of
     * {@code amplitude} times full scale (0..1).
     */
    public ToneGenerator(double frequencyHz, int sampleRate, double amplitude) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, not " + sampleRate);
        }
        if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2.0)) {
            throw new IllegalArgumentException(
                    "frequency " + frequencyHz + " Hz is not between 0 and the Nyquist frequency " + sampleRate / 2.0);
        }
        if (!(amplitude >= 0 && amplitude <= 1)) {
            throw new IllegalArgumentException("amplitude " + amplitude + " is not between 0 and 1");
        }
        this.frequencyHz = frequencyHz;
        this.sampleRate = sampleRate;
        this.peak = amplitude * Short.MAX_VALUE;
        this.phaseStep = TWO_PI * frequencyHz / sampleRate;
    }

    /** Fills the whole of {@code frame} with the next samples of the tone. */
    public void next(short[] frame) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) Math.round(peak * Math.sin(phase));
            phase += phaseStep;
            if (phase >= TWO_PI) {
                phase -= TWO_PI;
            }
        }
    }

    /** The next {@code samples} samples of the tone, in a new array. */
    public short[] next(int samples) {
        short[] frame = new short[samples];
        next(frame);
        return frame;
    }

    @Override
    public String toString() {
        return "Tone(" + frequencyHz + " Hz at " + sampleRate + " Hz, peak " + Math.round(peak) + ")";
    }
}
