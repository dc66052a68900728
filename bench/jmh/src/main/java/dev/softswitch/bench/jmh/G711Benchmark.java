package dev.softswitch.bench.jmh;

import dev.softswitch.codecs.G711;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** G.711 mu-law and A-law, one 20 ms frame (160 samples at 8 kHz) per operation. Target: 200 ns each. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class G711Benchmark {

    static final int FRAME = 160;

    private short[] pcm = new short[FRAME];
    private final short[] decoded = new short[FRAME];
    private final byte[] encoded = new byte[FRAME];
    private final byte[] ulaw = new byte[FRAME];
    private final byte[] alaw = new byte[FRAME];

    @Setup
    public void setUp() {
        pcm = Signals.speechLike(FRAME, 8000);
        G711.encodeUlaw(pcm, 0, ulaw, 0, FRAME);
        G711.encodeAlaw(pcm, 0, alaw, 0, FRAME);
    }

    @Benchmark
    public byte[] ulawEncode() {
        G711.encodeUlaw(pcm, 0, encoded, 0, FRAME);
        return encoded;
    }

    @Benchmark
    public short[] ulawDecode() {
        G711.decodeUlaw(ulaw, 0, decoded, 0, FRAME);
        return decoded;
    }

    @Benchmark
    public byte[] alawEncode() {
        G711.encodeAlaw(pcm, 0, encoded, 0, FRAME);
        return encoded;
    }

    @Benchmark
    public short[] alawDecode() {
        G711.decodeAlaw(alaw, 0, decoded, 0, FRAME);
        return decoded;
    }
}
