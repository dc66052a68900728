package dev.softswitch.bench.jmh;

import dev.softswitch.codecs.Resampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Resampling between 8 and 16 kHz, one 20 ms frame per operation, the filter history kept. Target: 3 us. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResampleBenchmark {

    private short[] narrow = new short[160];
    private short[] wide = new short[320];
    private final short[] toWide = new short[320];
    private final short[] toNarrow = new short[160];
    private final Resampler up = Resampler.of(8000, 16000);
    private final Resampler down = Resampler.of(16000, 8000);

    @Setup
    public void setUp() {
        narrow = Signals.speechLike(160, 8000);
        wide = Signals.speechLike(320, 16000);
    }

    @Benchmark
    public short[] upsample8to16() {
        up.process(narrow, 0, narrow.length, toWide, 0);
        return toWide;
    }

    @Benchmark
    public short[] downsample16to8() {
        down.process(wide, 0, wide.length, toNarrow, 0);
        return toNarrow;
    }
}
