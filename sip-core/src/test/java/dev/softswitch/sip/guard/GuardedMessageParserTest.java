package dev.softswitch.sip.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.config.SecurityConfig;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RFC 4475 torture messages through the guarded parser, offline, as the UDP channel hands them over: each either
 * passes to the stack's parser, comes back as a stand-in marked with its answer, or ends in a ParseException (which
 * the stack turns into its own 400 for a request, and silence for a response).
 */
class GuardedMessageParserTest {

    /** Mimics UDPMessageChannel.handleException: an error in a core header is fatal, any other is kept unparsed. */
    private static final ParseExceptionListener CHANNEL = (ex, message, headerClass, header, text) -> {
        if (headerClass != null
                && Set.of(
                                From.class,
                                To.class,
                                CSeq.class,
                                Via.class,
                                CallID.class,
                                ContentLength.class,
                                RequestLine.class,
                                StatusLine.class)
                        .contains(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    };

    private final SipGuard guard = new SipGuard(SecurityConfig.DEFAULTS, Clock.systemUTC());
    private final GuardedMessageParser parser = new GuardedMessageParser(new StringMsgParser(), guard);

    static byte[] torture(String name) throws IOException {
        try (InputStream in = GuardedMessageParserTest.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            assertThat(in).as("rfc4475/%s.dat", name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** What became of a message: {@code pass}, {@code mark <status>} or {@code throw}. */
    private String outcome(String name) throws IOException {
        try {
            SIPMessage m = parser.parse(torture(name), true, false, CHANNEL, PreParseCheck.Framing.DATAGRAM);
            if (m instanceof SIPRequest r && r.getApplicationData() instanceof Rejection rejection) {
                return "mark " + rejection.status();
            }
            return "pass";
        } catch (ParseException e) {
            return "throw";
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        // 3.1.1 valid: the stack's parser gets them, but for a Via of TCP on a UDP datagram
        "wsinv, pass",
        "intmeth, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "esc01, pass",
        "escnull, pass",
        "esc02, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "lwsdisp, pass",
        "longreq, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "dblreq, pass",
        "semiuri, pass",
        "transports, pass",
        "mpart01, pass",
        "unreason, pass",
        "noreason, pass",
        // 3.1.2 invalid
        "badinv01, throw", // its Via is unreadable: the stack answers 400 with our reason
        "clerr, mark 400",
        "ncl, mark 400",
        "scalar02, throw", // CSeq too large for the stack to read even in the stand-in
        "scalarlg, throw", // a response: dropped
        "quotbal, throw", // To unreadable
        "ltgtruri, mark 400",
        "lwsruri, mark 400",
        "lwsstart, pass",
        "trws, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "escruri, pass",
        "baddate, pass",
        "regbadct, pass",
        "badaspec, pass",
        "baddn, pass",
        "badvers, mark 505",
        "mismatch01, mark 400",
        "mismatch02, mark 501",
        "bigcode, throw", // a response: dropped
        // 3.2, 3.3, 3.4
        "badbranch, pass",
        "insuf, throw", // no Call-ID, From, To: no answer can be built
        "unkscm, mark 416",
        "novelsc, mark 416",
        "unksm2, pass",
        "bext01, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "invut, pass",
        "regaut01, mark 400", // a TCP (or TLS) Via on a UDP datagram
        "multi01, mark 400",
        "mcl01, mark 400",
        "bcast, pass",
        "zeromf, pass",
        "cparam01, pass",
        "cparam02, pass",
        "regescrt, pass",
        "sdp01, pass",
        "inv2543, pass",
    })
    void eachTortureMessageMeetsItsFate(String name, String expected) throws IOException {
        assertThat(outcome(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} over TCP")
    @CsvSource({"intmeth", "esc02", "longreq", "trws", "bext01", "regaut01"})
    void messagesWithATcpViaPassWhenTheyCameOverAStream(String name) throws IOException {
        try {
            SIPMessage m = parser.parse(torture(name), true, false, CHANNEL, PreParseCheck.Framing.STREAM);
            assertThat(m).isNotNull();
            assertThat(m.getApplicationData()).isNull();
        } catch (ParseException e) {
            throw new AssertionError(name + " refused over a stream: " + e.getMessage(), e);
        }
    }

    @Test
    void theFilesAreTheRfcsBytes() throws Exception {
        List<String> sums;
        try (InputStream in = getClass().getResourceAsStream("/rfc4475/SHA256SUMS")) {
            assertThat(in).isNotNull();
            sums = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .toList();
        }
        assertThat(sums).hasSize(49);
        for (String line : sums) {
            String[] parts = java.util.regex.Pattern.compile("\\s+").split(line, -1);
            String name = parts[1].replace("rfc4475/", "").replace(".dat", "");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(torture(name));
            assertThat(HexFormat.of().formatHex(digest)).as(name).isEqualTo(parts[0]);
        }
    }

    @Test
    void trailingOctetsAfterTheBodyNeverReachTheStack() throws Exception {
        SIPMessage m = parser.parse(torture("dblreq"), true, false, CHANNEL, PreParseCheck.Framing.DATAGRAM);
        assertThat(m).isNotNull();
        assertThat(m.getRawContent())
                .as("the INVITE after Content-Length: 0 is ignored")
                .isNull();
        assertThat(((SIPRequest) m).getMethod()).isEqualTo("REGISTER");
    }

    @Test
    void theStandInCarriesTheHeadersAResponseCopiesAndTheReason() throws Exception {
        SIPRequest m =
                (SIPRequest) parser.parse(torture("multi01"), true, false, CHANNEL, PreParseCheck.Framing.DATAGRAM);
        assertThat(m).isNotNull();
        Rejection rejection = (Rejection) m.getApplicationData();
        assertThat(rejection.reason()).isEqualTo("Bad Request (more than one Call-ID header)");
        assertThat(m.getCSeq().getSeqNumber()).isEqualTo(5);
        assertThat(m.getContentLength().getContentLength()).isZero();
        assertThat(guard.stats().malformed()).containsEntry("duplicate_header", 1L);
    }

    @Test
    void theStacksOwn400CarriesAReasonNotACharArray() throws Exception {
        assertThatThrownBy(() -> parser.parse(torture("quotbal"), true, false, CHANNEL, PreParseCheck.Framing.DATAGRAM))
                .isInstanceOf(ParseException.class)
                .hasMessage("malformed To header");
        assertThatThrownBy(
                        () -> parser.parse(torture("badinv01"), true, false, CHANNEL, PreParseCheck.Framing.DATAGRAM))
                .hasMessage("malformed Via header");
        assertThat(guard.stats().malformed()).containsEntry("unparseable", 2L);
    }
}
