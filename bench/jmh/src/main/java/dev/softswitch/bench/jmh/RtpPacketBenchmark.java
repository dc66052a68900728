package dev.softswitch.bench.jmh;

import dev.softswitch.rtp.packet.RtpPacket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** The RTP packet view over a 20 ms PCMU datagram (12-octet header, 160 octets of payload). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpPacketBenchmark {

    private final byte[] datagram = new byte[RtpPacket.FIXED_HEADER + 160];
    private final byte[] out = new byte[RtpPacket.FIXED_HEADER + 160];
    private int sequence;

    @Setup
    public void setUp() {
        RtpPacket.writeHeader(datagram, 0, 0, false, 4711, 123_456_789L, 0x1234_5678L);
    }

    /** What the receive path does with every datagram: validate it, then read the header and find the payload. */
    @Benchmark
    public void parse(Blackhole bh) {
        int length = datagram.length;
        bh.consume(RtpPacket.validate(datagram, length));
        bh.consume(RtpPacket.payloadType(datagram));
        bh.consume(RtpPacket.sequence(datagram));
        bh.consume(RtpPacket.timestamp(datagram));
        bh.consume(RtpPacket.ssrc(datagram));
        bh.consume(RtpPacket.marker(datagram));
        bh.consume(RtpPacket.payloadOffset(datagram, length));
        bh.consume(RtpPacket.payloadLength(datagram, length));
    }

    /** What the send path does for every frame: write the 12-octet header. */
    @Benchmark
    public byte[] writeHeader() {
        sequence = (sequence + 1) & 0xffff;
        RtpPacket.writeHeader(out, 0, 0, false, sequence, sequence * 160L, 0x1234_5678L);
        return out;
    }
}
