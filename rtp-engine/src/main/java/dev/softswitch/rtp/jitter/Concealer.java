package dev.softswitch.rtp.jitter;

import org.jspecify.annotations.Nullable;

/**
 * Shapes what the buffer plays so that it never clicks: frames that continue the previous output pass unchanged, a
 * missing frame is replaced by the last received frame repeated, and every joint that is not a natural continuation is
 * spliced.
 *
 * <p>Concealment gain, over the time since the loss began: from 1 down to 0.5 (-6 dB) in the first 5 ms, held to the
 * end of the first frame, then falling linearly to silence over the next 60 ms. A splice adds to the first 5 ms of a
 * frame an offset that starts at the gap between the previous output's last sample and this frame's first and fades to
 * zero, so the waveform stays continuous. A frame received after concealment fades back in from the concealment gain
 * over its first 5 ms.
 */
final class Concealer {

    private static final double FIRST_LOSS_GAIN = 0.5;
    private static final int FADE_FRAMES = 3;
    /** Below about -40 dBFS RMS a frame counts as quiet: a good moment to stretch or shrink. */
    private static final long QUIET_MEAN_SQUARE = 330L * 330L;

    private final int frameSamples;
    private final int rampSamples;
    private final short[] history;
    private boolean emitting;
    private int lastSample;
    /** Samples concealed since the last received frame; zero while received audio is playing. */
    private int concealedSamples;

    private boolean quiet = true;

    Concealer(int frameSamples) {
        this.frameSamples = frameSamples;
        this.rampSamples = Math.max(1, frameSamples / 4);
        this.history = new short[frameSamples];
    }

    /** Plays a received frame into {@code out}. */
    void play(short[] frame, short[] out) {
        System.arraycopy(frame, 0, out, 0, frameSamples);
        received(out);
    }

    /**
     * Plays two received frames as one, cross-fading from the first to the second over the whole frame: 20 ms less
     * delay without a joint.
     */
    void merge(short[] first, short[] second, short[] out) {
        int last = frameSamples - 1;
        for (int n = 0; n < frameSamples; n++) {
            out[n] = (short) Math.round(first[n] + (second[n] - first[n]) * (double) n / Math.max(1, last));
        }
        received(out);
    }

    /** Writes a concealment frame into {@code out}: the last received frame repeated under the concealment gain. */
    void conceal(short[] out) {
        int start = emitting ? lastSample : 0;
        for (int n = 0; n < frameSamples; n++) {
            out[n] = (short) Math.round(gain(concealedSamples + n) * history[n]);
        }
        splice(out, start - out[0]);
        concealedSamples = Math.min(concealedSamples + frameSamples, silentAfter());
        finish(out);
    }

    /**
     * What to play while nothing is scheduled: the fade of the last output if it has not reached silence, else null
     * (and the next frame starts fresh, with no splice).
     */
    short @Nullable [] tail(short[] out) {
        if (!emitting || (concealedSamples >= silentAfter() && lastSample == 0)) {
            emitting = false;
            return null;
        }
        conceal(out);
        return out;
    }

    /** Whether the last frame played was quiet. */
    boolean lastWasQuiet() {
        return quiet;
    }

    static boolean isQuiet(short[] frame) {
        long sum = 0;
        for (short s : frame) {
            sum += s * s;
        }
        return sum < QUIET_MEAN_SQUARE * frame.length;
    }

    private void received(short[] out) {
        if (emitting && concealedSamples > 0) {
            double from = gain(concealedSamples);
            for (int n = 0; n < rampSamples; n++) {
                double g = from + (1 - from) * n / rampSamples;
                out[n] = (short) Math.round(g * out[n]);
            }
            splice(out, lastSample - out[0]);
        }
        concealedSamples = 0;
        System.arraycopy(out, 0, history, 0, frameSamples);
        finish(out);
    }

    private void finish(short[] out) {
        emitting = true;
        lastSample = out[frameSamples - 1];
        quiet = isQuiet(out);
    }

    /** Adds {@code offset} to the first samples, fading it out, so that {@code out[0]} continues the last output. */
    private void splice(short[] out, int offset) {
        if (offset == 0) {
            return;
        }
        for (int n = 0; n < rampSamples; n++) {
            long v = out[n] + Math.round(offset * (double) (rampSamples - n) / rampSamples);
            out[n] = (short) Math.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
        }
    }

    private double gain(int concealed) {
        if (concealed < rampSamples) {
            return 1 - (1 - FIRST_LOSS_GAIN) * concealed / rampSamples;
        }
        if (concealed <= frameSamples) {
            return FIRST_LOSS_GAIN;
        }
        double fade = (double) (concealed - frameSamples) / (FADE_FRAMES * frameSamples);
        return Math.max(0, FIRST_LOSS_GAIN * (1 - fade));
    }

    private int silentAfter() {
        return (1 + FADE_FRAMES) * frameSamples;
    }
}
