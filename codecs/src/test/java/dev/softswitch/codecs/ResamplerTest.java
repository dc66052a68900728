package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The resampler's quality, measured: pass band, aliasing, images, delay, streaming, clipping. */
class ResamplerTest {

    /** Every rate: the pipeline's and the others AudioSocket carries (12, 32, 44.1, 96, 192 kHz). */
    private static final int[] RATES = {8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000};

    /** The delays documented in Resampler's class comment, in output samples (pipeline rates). */
    private static final Map<String, Integer> DOCUMENTED_DELAY = Map.ofEntries(
            Map.entry("8000->16000", 44),
            Map.entry("8000->24000", 65),
            Map.entry("8000->48000", 130),
            Map.entry("16000->8000", 22),
            Map.entry("16000->24000", 33),
            Map.entry("16000->48000", 65),
            Map.entry("24000->8000", 22),
            Map.entry("24000->16000", 22),
            Map.entry("24000->48000", 44),
            Map.entry("48000->8000", 22),
            Map.entry("48000->16000", 22),
            Map.entry("48000->24000", 22));

    static Stream<Arguments> pairs() {
        return pairsWhere((from, to) -> from != to);
    }

    static Stream<Arguments> downsamplingPairs() {
        return pairsWhere((from, to) -> from > to);
    }

    static Stream<Arguments> upsamplingPairs() {
        return pairsWhere((from, to) -> from < to);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void passBandTonesComeThroughWithinHalfADecibel(int from, int to) {
        double top = 0.4 * Math.min(from, to);
        for (int i = 0; i <= 12; i++) {
            double frequency = 100 + (top - 100) * i / 12;
            short[] in = new ToneGenerator(frequency, from, 0.5).next(from / 2);
            short[] out = inFrames(Resampler.of(from, to), in);
            double gainDb = 10 * Math.log10(steadyPower(out, frequency, to) / steadyPower(in, frequency, from));
            assertEquals(0, gainDb, 0.5, frequency + " Hz");
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("downsamplingPairs")
    void tonesAboveTheTargetNyquistFrequencyDoNotAlias(int from, int to) {
        double lowest = 0.51 * to;
        double highest = 0.49 * from;
        for (int i = 0; i <= 4; i++) {
            double frequency = lowest + (highest - lowest) * i / 4;
            short[] in = new ToneGenerator(frequency, from, 0.9).next(from / 2);
            short[] out = inFrames(Resampler.of(from, to), in);
            double levelDb = 20 * Math.log10(steadyRms(out, to) / Pcm.rms(in));
            assertTrue(levelDb < -60, frequency + " Hz comes out at " + levelDb + " dB");
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("upsamplingPairs")
    void imagesOfTheInputSpectrumAreSuppressed(int from, int to) {
        for (double frequency : new double[] {0.1 * from, 0.4 * from}) {
            short[] out = inFrames(Resampler.of(from, to), new ToneGenerator(frequency, from, 0.9).next(from / 2));
            double tone = steadyPower(out, frequency, to);
            for (int k = 1; k * from - frequency < to / 2.0; k++) {
                for (double image : new double[] {k * from - frequency, k * from + frequency}) {
                    if (image < to / 2.0) {
                        double levelDb = 10 * Math.log10(steadyPower(out, image, to) / tone);
                        assertTrue(levelDb < -60, "image at " + image + " Hz of " + frequency + " Hz: " + levelDb);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void delayIsTheDocumentedWholeNumberOfOutputSamples(int from, int to) {
        Resampler resampler = Resampler.of(from, to);
        int delay = resampler.delaySamples();
        Integer documented = DOCUMENTED_DELAY.get(from + "->" + to);
        if (documented != null) {
            assertEquals(documented, delay);
        }
        assertTrue(delay * 1000.0 / to <= 2.75, delay + " samples at " + to + " Hz: more than the documented 2.75 ms");

        double frequency = 0.1 * Math.min(from, to);
        short[] out = inFrames(resampler, new ToneGenerator(frequency, from, 0.5).next(from / 2));
        for (int m = to / 50; m < out.length; m++) {
            double expected = 0.5 * 32767 * Math.sin(2 * Math.PI * frequency * (m - delay) / to);
            assertEquals(expected, out[m], 40, "sample " + m);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("allPairs")
    void framesJoinExactlyLikeOneLongBlock(int from, int to) {
        short[] in = speechLike(from);
        short[] oneShot = Resampler.of(from, to).process(in);
        assertEquals((long) in.length * to / from, oneShot.length);
        assertArrayEquals(oneShot, inFrames(Resampler.of(from, to), in), "20 ms frames");

        Resampler uneven = Resampler.of(from, to);
        int step = from / gcd(from, to); // the smallest frame it takes
        int[] multiples = {1, 7, 0, 50, 3, 200};
        List<short[]> pieces = new ArrayList<>();
        for (int at = 0, i = 0; at < in.length; i++) {
            int n = Math.min(step * multiples[i % multiples.length], in.length - at);
            short[] piece = new short[n];
            System.arraycopy(in, at, piece, 0, n);
            pieces.add(uneven.process(piece));
            at += n;
        }
        assertArrayEquals(oneShot, concat(pieces), "uneven frames");
    }

    /**
     * A full-scale square wave overshoots after filtering (Gibbs). The filter is linear, so the
     * output for the wave must be twice that for the same wave at half scale, wherever that fits in
     * 16 bits, and the 16-bit limit wherever it does not.
     */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void fullScaleIsClippedNotWrapped(int from, int to) {
        short[] full = square(from, 32766);
        short[] half = square(from, 16383);
        short[] outFull = inFrames(Resampler.of(from, to), full);
        short[] outHalf = inFrames(Resampler.of(from, to), half);
        int clipped = 0;
        for (int m = 0; m < outFull.length; m++) {
            int twice = 2 * outHalf[m];
            int expected = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, twice));
            clipped += expected != twice ? 1 : 0;
            assertEquals(expected, outFull[m], 1, "sample " + m + ": twice the half-scale output is " + twice);
        }
        assertTrue(clipped > 0, "the square wave should overshoot full scale");
    }

    @Test
    void fortyFourPointOneKilohertzTakesTwentyMillisecondFramesOf882Samples() {
        Resampler down = Resampler.of(44100, 8000); // 80/441
        assertEquals(160, down.outputLength(882));
        assertThrows(IllegalArgumentException.class, () -> down.outputLength(441 * 3 - 1));
        Resampler up = Resampler.of(48000, 44100); // 147/160
        assertEquals(882, up.outputLength(960));
        assertEquals("Resample(44.1k->8k)", down.toString());
        assertEquals("Resample(48k->44.1k)", up.toString());
    }

    @Test
    void equalRatesPassThrough() {
        for (int rate : RATES) {
            Resampler same = Resampler.of(rate, rate);
            short[] in = speechLike(rate);
            short[] out = same.process(in);
            assertArrayEquals(in, out);
            assertNotSame(in, out);
            assertEquals(0, same.delaySamples());
            assertEquals(rate / 50, same.outputLength(rate / 50));
        }
    }

    @Test
    void twentyMillisecondsInGiveTwentyMillisecondsOut() {
        for (int from : RATES) {
            for (int to : RATES) {
                Resampler resampler = Resampler.of(from, to);
                assertEquals(to / 50, resampler.outputLength(from / 50), resampler.toString());
                assertEquals(to / 50, resampler.process(new short[from / 50]).length, resampler.toString());
                assertEquals(to / 100, resampler.outputLength(from / 100), resampler.toString());
            }
        }
    }

    @Test
    void resetForgetsTheStream() {
        Resampler used = Resampler.of(24000, 16000);
        used.process(speechLike(24000));
        used.reset();
        short[] in = new ToneGenerator(1000, 24000, 0.5).next(480);
        assertArrayEquals(Resampler.of(24000, 16000).process(in), used.process(in));
    }

    @Test
    void rejectsOtherRatesAndFramesOfPartialSamples() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(22050, 48000));
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(8000, 11025));
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(0, 8000));
        Resampler resampler = Resampler.of(24000, 16000); // 2/3: takes multiples of 3 samples
        assertEquals(320, resampler.outputLength(480));
        assertThrows(IllegalArgumentException.class, () -> resampler.process(new short[479]));
        assertThrows(IllegalArgumentException.class, () -> resampler.outputLength(-3));
        assertThrows(
                IndexOutOfBoundsException.class, () -> resampler.process(new short[480], 0, 480, new short[319], 0));
    }

    @Test
    void describesItselfForTheMediaPathLog() {
        assertEquals("Resample(8k->16k)", Resampler.of(8000, 16000).toString());
        assertEquals("Resample(48k->24k)", Resampler.of(48000, 24000).toString());
        assertEquals(48000, Resampler.of(48000, 24000).fromRate());
        assertEquals(24000, Resampler.of(48000, 24000).toRate());
    }

    /**
     * Not a benchmark: a check that steady-state processing allocates nothing but the output array
     * (JIT compilation runs on other threads and does not count), with a short filter and with
     * 44.1 kHz's many phases.
     */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"24000, 16000", "44100, 48000", "8000, 44100"})
    void processingAllocatesNothingButTheOutput(int from, int to) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Resampler resampler = Resampler.of(from, to);
        short[] in = new ToneGenerator(1000, from, 0.5).next(from / 50);
        short[] out = new short[to / 50];
        for (int i = 0; i < 5000; i++) {
            resampler.process(in, 0, in.length, out, 0);
            resampler.process(in);
        }
        int calls = 1000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            resampler.process(in, 0, in.length, out, 0);
        }
        long intoArray = threads.getCurrentThreadAllocatedBytes() - before;
        before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            resampler.process(in);
        }
        long returningArray = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(intoArray < calls, intoArray + " bytes allocated by " + calls + " calls into an array");
        long outputArrays = calls * ((16L + 2 * out.length + 7) / 8 * 8); // header, samples, 8-byte alignment
        assertTrue(
                returningArray < outputArrays + calls,
                returningArray + " bytes allocated by " + calls + " calls returning " + outputArrays
                        + " bytes of arrays");
    }

    static Stream<Arguments> allPairs() {
        return pairsWhere((from, to) -> true);
    }

    private interface PairFilter {
        boolean test(int from, int to);
    }

    private static Stream<Arguments> pairsWhere(PairFilter filter) {
        List<Arguments> pairs = new ArrayList<>();
        for (int from : RATES) {
            for (int to : RATES) {
                if (filter.test(from, to)) {
                    pairs.add(Arguments.of(from, to));
                }
            }
        }
        return pairs.stream();
    }

    /** The input fed to {@code resampler} in 20 ms frames, joined. */
    private static short[] inFrames(Resampler resampler, short[] in) {
        int frame = resampler.fromRate() / 50;
        List<short[]> frames = new ArrayList<>();
        for (int at = 0; at < in.length; at += frame) {
            short[] piece = new short[frame];
            System.arraycopy(in, at, piece, 0, frame);
            frames.add(resampler.process(piece));
        }
        return concat(frames);
    }

    /** Tone power over all but the first 20 ms, where the filter is still filling. */
    private static double steadyPower(short[] x, double frequency, int rate) {
        int skip = rate / 50;
        return Goertzel.power(x, skip, x.length - skip, frequency, rate);
    }

    private static double steadyRms(short[] x, int rate) {
        int skip = rate / 50;
        short[] steady = new short[x.length - skip];
        System.arraycopy(x, skip, steady, 0, steady.length);
        return Pcm.rms(steady);
    }

    /** 1 s: a tone, a chirp and loud noise, clipped here and there. */
    private static short[] speechLike(int rate) {
        SplittableRandom random = new SplittableRandom(rate);
        short[] x = new short[rate];
        for (int n = 0; n < x.length; n++) {
            double t = (double) n / rate;
            double v = 0.4 * Math.sin(2 * Math.PI * 440 * t)
                    + 0.4 * Math.sin(2 * Math.PI * (100 + 0.2 * rate * t) * t)
                    + 0.4 * (random.nextDouble() * 2 - 1);
            x[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(32767 * v)));
        }
        return x;
    }

    /** 0.5 s of a 250 Hz square wave of peak {@code amplitude}. */
    private static short[] square(int rate, int amplitude) {
        short[] x = new short[rate / 2];
        int halfPeriod = rate / 500;
        for (int n = 0; n < x.length; n++) {
            x[n] = (short) ((n / halfPeriod) % 2 == 0 ? amplitude : -amplitude);
        }
        return x;
    }

    private static short[] concat(List<short[]> pieces) {
        int length = 0;
        for (short[] piece : pieces) {
            length += piece.length;
        }
        short[] joined = new short[length];
        int at = 0;
        for (short[] piece : pieces) {
            System.arraycopy(piece, 0, joined, at, piece.length);
            at += piece.length;
        }
        return joined;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
