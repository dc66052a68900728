package dev.softswitch.bench.jmh;

import dev.softswitch.sdp.AnswerPolicy;
import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sdp.Negotiation;
import dev.softswitch.sdp.OfferAnswer;
import dev.softswitch.sdp.SdpParser;
import dev.softswitch.sdp.SdpWriter;
import dev.softswitch.sdp.SessionDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SDP for one inbound call: parse a softphone's offer, negotiate the answer (RFC 3264), write it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SdpBenchmark {

    /** A baresip offer: opus, G.722, PCMU, PCMA and telephone-event, rtcp-mux. */
    static final String OFFER = "v=0\r\n"
            + "o=- 2890426164 1517387093 IN IP4 192.168.1.23\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.168.1.23\r\n"
            + "t=0 0\r\n"
            + "a=tool:baresip 3.10.1\r\n"
            + "m=audio 25134 RTP/AVP 96 9 0 8 101\r\n"
            + "b=AS:128\r\n"
            + "a=rtpmap:96 opus/48000/2\r\n"
            + "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
            + "a=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-15\r\n"
            + "a=rtcp-mux\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n";

    private final AnswerPolicy policy = new AnswerPolicy(
            List.of(FormatSpec.PCMU, FormatSpec.PCMA, FormatSpec.G722), true, "127.0.0.1", 10_000, 42, 1, "softswitch");

    private SessionDescription offer = SdpParser.parse(OFFER);

    @Setup
    public void setUp() {
        offer = SdpParser.parse(OFFER);
        if (!(OfferAnswer.answer(offer, policy) instanceof Negotiation.Accepted)) {
            throw new IllegalStateException("the benchmark's offer is not accepted");
        }
    }

    @Benchmark
    public SessionDescription parse() {
        return SdpParser.parse(OFFER);
    }

    @Benchmark
    public Negotiation negotiate() {
        return OfferAnswer.answer(offer, policy);
    }

    /** All the SDP work of an inbound call: parse the offer, negotiate, write the answer. */
    @Benchmark
    public String parseNegotiateWrite() {
        Negotiation n = OfferAnswer.answer(SdpParser.parse(OFFER), policy);
        return n instanceof Negotiation.Accepted accepted ? SdpWriter.write(accepted.answer()) : "";
    }
}
