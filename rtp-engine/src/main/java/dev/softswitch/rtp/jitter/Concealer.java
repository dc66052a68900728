package dev.softswitch.rtp.jitter;

import org.jspecify.annotations.Nullable;

/**
 * Shapes what the buffer plays so that it never clicks. Received frames that follow received frames pass unchanged. A
 * missing frame is replaced by the last received frame's final pitch period, repeated (found by autocorrelation over
 * 2.5 to 15 ms, as G.711 Appendix I does; its end cross-faded into the period before it so that the loop has no seam),
 * under a gain that goes, over the time since the loss began, from 1 to 0.5 (-6 dB) in the first 5 ms, holds to the end
 * of the first frame, then falls linearly to silence over the next 60 ms. The first concealed sample continues the
 * slope of the last two played, with the difference faded out over 5 ms; the first received frame after concealment
 * cross-fades from the continuing concealment to the signal over its first 5 ms.
 */
final class Concealer {

    private static final double FIRST_LOSS_GAIN = 0.5;
    private static final int FADE_FRAMES = 3;
    /** Below about -40 dBFS RMS a frame counts as quiet: a good moment to stretch or shrink. */
    private static final long QUIET_MEAN_SQUARE = 330L * 330L;

    private final int frameSamples;
    /** 5 ms: the gain ramp, the splice, the recovery cross-fade and the pitch search window. */
    private final int rampSamples;

    private final int minPeriod;
    private final int maxPeriod;
    private final short[] history;
    private final short[] loop;
    private int period;
    private int phase;
    private boolean emitting;
    private int lastSample;
    private int previousSample;
    /** Samples concealed since the last received frame; zero while received audio is playing. */
    private int concealedSamples;

    private boolean quiet = true;

    Concealer(int frameSamples) {
        this.frameSamples = frameSamples;
        this.rampSamples = Math.max(1, frameSamples / 4);
        this.minPeriod = Math.max(1, frameSamples / 8);
        this.maxPeriod = Math.max(minPeriod, frameSamples - rampSamples);
        this.history = new short[frameSamples];
        this.loop = new short[maxPeriod];
        this.period = maxPeriod;
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
        int last = Math.max(1, frameSamples - 1);
        for (int n = 0; n < frameSamples; n++) {
            out[n] = (short) Math.round(first[n] + (second[n] - first[n]) * (double) n / last);
        }
        received(out);
    }

    /** Writes a concealment frame into {@code out}. */
    void conceal(short[] out) {
        boolean entering = concealedSamples == 0;
        if (entering) {
            makeLoop();
        }
        for (int n = 0; n < frameSamples; n++) {
            out[n] = (short) Math.round(gain(concealedSamples + n) * loop[(phase + n) % period]);
        }
        phase = (phase + frameSamples) % period;
        if (entering && emitting) {
            long predicted = 2L * lastSample - previousSample;
            long offset = (long) Math.clamp(predicted, Short.MIN_VALUE, Short.MAX_VALUE) - out[0];
            for (int n = 0; n < rampSamples; n++) {
                long v = out[n] + Math.round(offset * (double) (rampSamples - n) / rampSamples);
                out[n] = (short) Math.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
            }
        }
        concealedSamples = Math.min(concealedSamples + frameSamples, silentAfter());
        finish(out);
    }

    /**
     * What to play while nothing is scheduled: the fade of the last output if it has not reached silence, else null
     * (and the next frame starts afresh).
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
            for (int n = 0; n < rampSamples; n++) {
                double concealment = gain(concealedSamples + n) * loop[(phase + n) % period];
                double w = (n + 1.0) / (rampSamples + 1);
                out[n] = (short) Math.round((1 - w) * concealment + w * out[n]);
            }
        }
        concealedSamples = 0;
        System.arraycopy(out, 0, history, 0, frameSamples);
        finish(out);
    }

    private void finish(short[] out) {
        emitting = true;
        lastSample = out[frameSamples - 1];
        previousSample = out[Math.max(0, frameSamples - 2)];
        quiet = isQuiet(out);
    }

    /** The last pitch period of the history, its end cross-faded into the period before so that it loops seamlessly. */
    private void makeLoop() {
        period = pitchPeriod();
        phase = 0;
        int end = frameSamples;
        int fade = Math.max(1, period / 4);
        for (int i = 0; i < period; i++) {
            double v = history[end - period + i];
            if (i >= period - fade) {
                double w = (i - (period - fade) + 1.0) / (fade + 1);
                v = (1 - w) * v + w * history[end - 2 * period + i];
            }
            loop[i] = (short) Math.round(v);
        }
    }

    /** The lag that best matches the last 5 ms with the audio that lag earlier (normalised cross-correlation). */
    private int pitchPeriod() {
        int window = rampSamples;
        int start = frameSamples - window;
        int best = maxPeriod;
        double bestScore = 0;
        for (int lag = minPeriod; lag <= maxPeriod && start - lag >= 0; lag++) {
            double cross = 0;
            double energy = 0;
            for (int i = 0; i < window; i++) {
                int earlier = history[start - lag + i];
                cross += (double) history[start + i] * earlier;
                energy += (double) earlier * earlier;
            }
            double score = energy > 0 ? cross / Math.sqrt(energy) : 0;
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        return best;
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
