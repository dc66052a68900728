package dev.softswitch.codecs;

import java.util.Arrays;
import java.util.Objects;

/**
 * Converts 16-bit PCM between any two of 8, 12, 16, 24, 32, 44.1, 48, 96 and 192 kHz (the pipeline's
 * rates and the others Asterisk's AudioSocket carries), a stream of frames at a time. The rates are
 * related by the fraction {@code L / M} in lowest terms (8 to 24 kHz is 3/1, 24 to 16 kHz is 2/3,
 * 44.1 to 48 kHz is 160/147, 8 to 44.1 kHz is 441/80) and the conversion is a polyphase FIR:
 * upsample by {@code L}, low-pass, keep every {@code M}th sample, without computing the zeros or the
 * dropped samples. The {@code L} phases are computed once, when the resampler is made.
 *
 * <p>The input is dealt into {@code M} streams (samples {@code s, s + M, s + 2M, ...}), so each tap
 * of a phase meets consecutive samples of one stream in consecutive output periods: a frame is
 * filtered a tap at a time over all its periods, in branch-free loops the JIT turns into SIMD
 * instructions (several times quicker than an output at a time: see {@code ResampleBenchmark} in
 * {@code bench/jmh}). Between 44.1 kHz and the others a 20 ms frame holds only 2 or 6 periods, too
 * few for that, and the outputs are summed one at a time. The sums are in single precision, whose
 * error is far below the 16-bit step: on test signals about 1 sample in 800 rounds to the other
 * neighbour than double precision would.
 *
 * <p>The low-pass is a Kaiser-windowed sinc at {@code L} times the input rate, designed for 70 dB
 * of stop-band attenuation: with {@code f} the lower of the two rates, it passes up to
 * {@code 0.4 f} flat (within a few thousandths of a dB) and stops from {@code 0.5 f}, the lower
 * Nyquist frequency, so neither aliases (going down) nor images (going up) come out above about
 * -69 dB. A 20 ms frame costs about {@code 44 * max(from, to) / 50} multiply-adds (39,000 with
 * 44.1 kHz on one side, 170,000 with 192 kHz), and the phases hold {@code L} times some 44 taps,
 * 8 bytes each with the place of the sample it meets (56 KB between 44.1 and 48 kHz, 220 KB at
 * most). Its delay is a whole number of output samples, {@link #delaySamples()}, never more than
 * 2.75 ms; between the pipeline's rates:
 *
 * <table>
 *   <caption>Delay in output samples</caption>
 *   <tr><th>from \ to</th><th>8 kHz</th><th>16 kHz</th><th>24 kHz</th><th>48 kHz</th></tr>
 *   <tr><td>8 kHz</td><td>0</td><td>44 (2.75 ms)</td><td>65 (2.708 ms)</td><td>130 (2.708 ms)</td></tr>
 *   <tr><td>16 kHz</td><td>22 (2.75 ms)</td><td>0</td><td>33 (1.375 ms)</td><td>65 (1.354 ms)</td></tr>
 *   <tr><td>24 kHz</td><td>22 (2.75 ms)</td><td>22 (1.375 ms)</td><td>0</td><td>44 (0.917 ms)</td></tr>
 *   <tr><td>48 kHz</td><td>22 (2.75 ms)</td><td>22 (1.375 ms)</td><td>22 (0.917 ms)</td><td>0</td></tr>
 * </table>
 *
 * <p>Stateful and streaming: the last input samples are kept for the next call, so consecutive
 * frames come out exactly as one long block would. Each call must bring a whole number of
 * {@code M} samples (any whole number of 10 ms does, and of milliseconds between any two rates but
 * 44.1 kHz) and gives exactly {@code length * L / M} samples back. Samples are rounded to nearest
 * and clipped to 16 bits, never wrapped. Apart from the array {@link #process(short[])} returns,
 * processing allocates nothing; {@link #process(short[], int, int, short[], int)} allocates nothing
 * at all. Equal rates pass the samples through unchanged. One resampler per stream and direction.
 */
public final class Resampler {

    private static final int[] RATES = {8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000};
    private static final double ATTENUATION_DB = 70;
    private static final double PASSBAND_EDGE = 0.4; // of the lower rate
    private static final double STOPBAND_EDGE = 0.5;
    /** Blocks of at least this many periods are summed a tap at a time, vectorised. */
    private static final int VECTOR_PERIODS = 16;

    private final int fromRate;
    private final int toRate;
    private final int up; // L
    private final int down; // M
    private final int delay;

    /** How many periods (M input samples, L output samples) a block holds: 20 ms, none for equal rates. */
    private final int periods;

    /**
     * How many streams S the input is dealt into, samples {@code s, s + S, s + 2S, ...} in stream
     * {@code s}: M, for blocks summed a tap at a time; 1, for blocks too short for that (between
     * 44.1 kHz and the others), summed an output at a time.
     */
    private final int streams;

    /** How many samples of each stream a block needs from the blocks before. */
    private final int keep;

    /**
     * The filter, output phase by output phase: the taps of output {@code r} of a period are
     * {@code coefficients[starts[r]]} to {@code coefficients[starts[r + 1] - 1]}, and tap
     * {@code t} meets, in the block's first period, the input sample {@code input[sources[t]]}
     * (in period {@code q}, the one {@code q * M / S} further on).
     */
    private final float[] coefficients;

    private final int[] sources;
    private final int[] starts;

    /** The streams one after the other, each {@code keep} samples from before, then the block's. */
    private final short[] input;

    /** One output phase of the block, summed. */
    private final float[] sums;

    /** The block's output before rounding. */
    private final float[] samples;

    private Resampler(int fromRate, int toRate) {
        this.fromRate = fromRate;
        this.toRate = toRate;
        int gcd = gcd(fromRate, toRate);
        this.up = toRate / gcd;
        this.down = fromRate / gcd;
        this.periods = up == down ? 0 : gcd / 50; // equal rates pass through
        double filterRate = (double) fromRate * up;
        int lower = Math.min(fromRate, toRate);
        double transition = (STOPBAND_EDGE - PASSBAND_EDGE) * lower / filterRate;
        double cutoff = (STOPBAND_EDGE + PASSBAND_EDGE) / 2 * lower / filterRate;
        // Centre the filter on a whole output sample: half length D M gives a delay of D.
        delay = up == down ? 0 : Math.ceilDiv(KaiserLowpass.halfLength(ATTENUATION_DB, transition), down);
        double[] h = up == down
                ? new double[] {1}
                : KaiserLowpass.taps(delay * down, cutoff, KaiserLowpass.beta(ATTENUATION_DB));
        streams = periods >= VECTOR_PERIODS ? down : 1;
        keep = Math.ceilDiv(Math.ceilDiv(h.length, up) - 1, streams);
        int stride = keep + periods * down / streams;
        coefficients = new float[h.length];
        sources = new int[h.length];
        starts = new int[up + 1];
        for (int r = 0, t = 0; r < up; r++) {
            // Output r of a period is at filter-rate time r M = newest L + phase, newest the input
            // sample it follows: taps h[phase + k L] meet input samples newest - k.
            int phase = r * down % up;
            int newest = r * down / up;
            for (int k = 0; phase + k * up < h.length; k++, t++) {
                coefficients[t] = (float) (up * h[phase + k * up]);
                sources[t] = Math.floorMod(newest - k, streams) * stride + keep + Math.floorDiv(newest - k, streams);
            }
            starts[r + 1] = t;
        }
        input = new short[streams * stride];
        sums = new float[periods];
        samples = new float[periods * up];
    }

    /**
     * A resampler from {@code fromRate} to {@code toRate} Hz, each one of 8000, 12000, 16000,
     * 24000, 32000, 44100, 48000, 96000 and 192000, starting from silence.
     *
     * @throws IllegalArgumentException for any other rate
     */
    public static Resampler of(int fromRate, int toRate) {
        requireSupported(fromRate);
        requireSupported(toRate);
        return new Resampler(fromRate, toRate);
    }

    /** The input sample rate in Hz. */
    public int fromRate() {
        return fromRate;
    }

    /** The output sample rate in Hz. */
    public int toRate() {
        return toRate;
    }

    /**
     * How many output samples the signal comes out late by, constant for a given pair of rates
     * (see the table above); 0 when the rates are equal.
     */
    public int delaySamples() {
        return delay;
    }

    /**
     * The number of samples {@code inputSamples} input samples turn into: {@code inputSamples * L / M}.
     *
     * @throws IllegalArgumentException if {@code inputSamples} is negative or not a multiple of M
     */
    public int outputLength(int inputSamples) {
        if (inputSamples < 0 || inputSamples % down != 0) {
            throw new IllegalArgumentException(inputSamples + " samples at " + fromRate + " Hz do not make a whole "
                    + "number of samples at " + toRate + " Hz; give a multiple of " + down);
        }
        return inputSamples / down * up;
    }

    /**
     * Resamples the next frame of the stream into a new array of {@link #outputLength(int)
     * outputLength(in.length)} samples.
     *
     * @throws IllegalArgumentException if {@code in.length} is not a multiple of M
     */
    public short[] process(short[] in) {
        short[] out = new short[outputLength(in.length)];
        process(in, 0, in.length, out, 0);
        return out;
    }

    /**
     * Resamples {@code length} samples of {@code in} from {@code offset}, the next frame of the
     * stream, into {@code out} from {@code outOffset}; allocates nothing.
     *
     * @return the number of samples written, {@link #outputLength(int) outputLength(length)}
     * @throws IllegalArgumentException if {@code length} is not a multiple of M
     */
    public int process(short[] in, int offset, int length, short[] out, int outOffset) {
        int produced = outputLength(length);
        Objects.checkFromIndexSize(offset, length, in.length);
        Objects.checkFromIndexSize(outOffset, produced, out.length);
        if (up == down) {
            System.arraycopy(in, offset, out, outOffset, length);
            return length;
        }
        for (int done = 0; done < length; ) {
            int count = Math.min((length - done) / down, periods);
            block(in, offset + done, count, out, outOffset + done / down * up);
            done += count * down;
        }
        return produced;
    }

    /** Forgets the history: the next frame starts a new stream, as if after silence. */
    public void reset() {
        Arrays.fill(input, (short) 0);
    }

    /** Resamples {@code count} periods, {@code count * M} samples of {@code in} from {@code offset}. */
    private void block(short[] in, int offset, int count, short[] out, int outOffset) {
        int step = down / streams; // samples per period in each stream
        int stride = input.length / streams;
        for (int s = 0; s < streams; s++) {
            for (int j = 0, i = offset + s; j < count * step; j++, i += streams) {
                input[s * stride + keep + j] = in[i];
            }
        }
        for (int r = 0; r < up; r++) {
            if (step == 1) {
                sumTapByTap(starts[r], starts[r + 1], count);
            } else {
                sumOutputByOutput(starts[r], starts[r + 1], count);
            }
            for (int q = 0; q < count; q++) {
                samples[q * up + r] = sums[q];
            }
        }
        for (int m = 0; m < count * up; m++) {
            out[outOffset + m] = (short) Math.clamp(Math.round(samples[m]), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        for (int s = 0; s < streams; s++) {
            System.arraycopy(input, s * stride + count * step, input, s * stride, keep);
        }
    }

    /** Sums the taps from {@code from} to {@code to} over the block a tap at a time: vectorised. */
    private void sumTapByTap(int from, int to, int count) {
        Arrays.fill(sums, 0, count, 0);
        for (int t = from; t < to; t++) {
            float c = coefficients[t];
            int source = sources[t];
            for (int q = 0; q < count; q++) {
                sums[q] += c * input[source + q];
            }
        }
    }

    /** Sums them an output at a time, from one stream: the taps meet consecutive samples, newest first. */
    private void sumOutputByOutput(int from, int to, int count) {
        for (int q = 0; q < count; q++) {
            float sum = 0;
            for (int t = from, i = sources[from] + q * down; t < to; t++, i--) {
                sum += coefficients[t] * input[i];
            }
            sums[q] = sum;
        }
    }

    /** The stage's name in a media path's log, such as {@code Resample(8k->16k)}. */
    @Override
    public String toString() {
        return "Resample(" + kilohertz(fromRate) + "k->" + kilohertz(toRate) + "k)";
    }

    private static String kilohertz(int rate) {
        return rate % 1000 == 0 ? Integer.toString(rate / 1000) : Double.toString(rate / 1000.0);
    }

    private static void requireSupported(int rate) {
        for (int supported : RATES) {
            if (rate == supported) {
                return;
            }
        }
        throw new IllegalArgumentException(
                "cannot resample " + rate + " Hz; supported rates are " + Arrays.toString(RATES) + " Hz");
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
