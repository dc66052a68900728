package dev.softswitch.bench.jmh;

import dev.softswitch.sip.guard.PreParseCheck;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The strict pre-parse check every SIP datagram passes before the stack's parser: an INVITE with SDP, and a BYE. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PreParseBenchmark {

    static final String SDP = "v=0\r\n"
            + "o=tester 1 1 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n";

    static final String INVITE = "INVITE sip:echo@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1-0-3a9f\r\n"
            + "From: <sip:tester@127.0.0.1:5061>;tag=1SIPpTag001\r\n"
            + "To: <sip:echo@127.0.0.1:5060>\r\n"
            + "Call-ID: 1-4711@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:tester@127.0.0.1:5061>\r\n"
            + "Max-Forwards: 70\r\n"
            + "User-Agent: bench\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n"
            + "Supported: timer, replaces\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n"
            + SDP;

    static final String BYE = "BYE sip:echo@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1-2-3a9f\r\n"
            + "From: <sip:tester@127.0.0.1:5061>;tag=1SIPpTag001\r\n"
            + "To: <sip:echo@127.0.0.1:5060>;tag=as2c7d1a3e\r\n"
            + "Call-ID: 1-4711@127.0.0.1\r\n"
            + "CSeq: 2 BYE\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

    private static final int MAX_BYTES = 16 * 1024;

    private byte[] invite = new byte[0];
    private byte[] bye = new byte[0];

    @Setup
    public void setUp() {
        invite = INVITE.getBytes(StandardCharsets.US_ASCII);
        bye = BYE.getBytes(StandardCharsets.US_ASCII);
        for (byte[] message : new byte[][] {invite, bye}) {
            if (!(PreParseCheck.check(message, message.length, PreParseCheck.Framing.DATAGRAM, MAX_BYTES)
                    instanceof PreParseCheck.Pass)) {
                throw new IllegalStateException("the benchmark's message does not pass the check");
            }
        }
    }

    @Benchmark
    public PreParseCheck.Verdict invite() {
        return PreParseCheck.check(invite, invite.length, PreParseCheck.Framing.DATAGRAM, MAX_BYTES);
    }

    @Benchmark
    public PreParseCheck.Verdict bye() {
        return PreParseCheck.check(bye, bye.length, PreParseCheck.Framing.DATAGRAM, MAX_BYTES);
    }
}
