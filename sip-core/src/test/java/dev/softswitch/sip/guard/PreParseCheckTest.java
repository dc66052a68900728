package dev.softswitch.sip.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.guard.PreParseCheck.Framing;
import dev.softswitch.sip.guard.PreParseCheck.Pass;
import dev.softswitch.sip.guard.PreParseCheck.Reject;
import dev.softswitch.sip.guard.PreParseCheck.Rule;
import dev.softswitch.sip.guard.PreParseCheck.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One test per rule of the strict pre-parse check, each with the message that breaks it and one that does not. */
class PreParseCheckTest {

    private static final int MAX = 16 * 1024;

    private static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
            + "From: <sip:alice@example.com>;tag=a1\r\n"
            + "To: <sip:echo@example.com>\r\n"
            + "Call-ID: c1@192.0.2.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\n";

    private static Verdict check(String message) {
        return check(message, Framing.DATAGRAM);
    }

    private static Verdict check(String message, Framing framing) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        return PreParseCheck.check(bytes, bytes.length, framing, MAX);
    }

    private static String options(String extraHeaders, String body) {
        return "OPTIONS sip:echo@example.com SIP/2.0\r\n" + HEADERS + extraHeaders + "\r\n" + body;
    }

    private static Reject rejected(Verdict verdict, Rule rule, int status) {
        assertThat(verdict).isInstanceOf(Reject.class);
        Reject reject = (Reject) verdict;
        assertThat(reject.rule()).isEqualTo(rule);
        assertThat(reject.status()).isEqualTo(status);
        return reject;
    }

    private static String standIn(Reject reject) {
        assertThat(reject.standIn()).as("a stand-in to answer from").isNotNull();
        return reject.standIn();
    }

    @Test
    void aWellFormedRequestPassesWhole() {
        String message = options("Content-Length: 4\r\n", "abcd");
        assertThat(check(message)).isEqualTo(new Pass(message.length()));
    }

    @Test
    void keepAlivesPass() {
        assertThat(check("\r\n\r\n")).isEqualTo(new Pass(4));
    }

    @Test
    void aMessageOverTheCapGets513() {
        String message = options("Content-Length: 0\r\n", "");
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        Reject reject = rejected(
                PreParseCheck.check(bytes, bytes.length, Framing.DATAGRAM, bytes.length - 1), Rule.TOO_LARGE, 513);
        assertThat(reject.reason()).startsWith("Message Too Large");
        assertThat(PreParseCheck.check(bytes, bytes.length, Framing.DATAGRAM, bytes.length))
                .isInstanceOf(Pass.class);
    }

    @Test
    void everySingleValueHeaderMayAppearOnceInLongOrCompactForm() {
        for (String extra : new String[] {
            "Call-ID: other@192.0.2.1\r\n",
            "i: other@192.0.2.1\r\n",
            "CSeq: 2 OPTIONS\r\n",
            "From: <sip:mallory@example.com>;tag=m\r\n",
            "f: <sip:mallory@example.com>;tag=m\r\n",
            "To: <sip:other@example.com>\r\n",
            "t: <sip:other@example.com>\r\n",
            "Max-Forwards: 69\r\n",
            "max-forwards : 69\r\n",
        }) {
            Reject reject = rejected(check(options(extra, "")), Rule.DUPLICATE_HEADER, 400);
            assertThat(reject.reason()).startsWith("Bad Request (more than one ");
            // the stand-in keeps the first of each, so the answer names the request as its sender sent it first
            assertThat(standIn(reject)).contains("Call-ID: c1@192.0.2.1\r\n").contains("CSeq: 1 OPTIONS\r\n");
        }
        assertThat(check(options("Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-2\r\n", "")))
                .as("Via may repeat")
                .isInstanceOf(Pass.class);
    }

    @Test
    void twoContentLengthsAreRefusedEvenInCompactForm() {
        rejected(check(options("Content-Length: 4\r\nl: 2\r\n", "abcd")), Rule.DUPLICATE_HEADER, 400);
    }

    @Test
    void contentLengthBeyondTheBodyOrNotANumberGets400() {
        Reject longer = rejected(check(options("Content-Length: 9999\r\n", "abcd")), Rule.CONTENT_LENGTH, 400);
        assertThat(longer.reason()).isEqualTo("Bad Request (Content-Length 9999 but 4 bytes of body)");
        rejected(check(options("Content-Length: -999\r\n", "abcd")), Rule.CONTENT_LENGTH, 400);
        rejected(check(options("Content-Length: 4x\r\n", "abcd")), Rule.CONTENT_LENGTH, 400);
        rejected(check(options("Content-Length: 99999999999999999999\r\n", "abcd")), Rule.CONTENT_LENGTH, 400);
    }

    @Test
    void octetsAfterTheDeclaredBodyAreCutOff() {
        // RFC 3261 18.3 and RFC 4475 3.1.1.8: the rest of the datagram is not part of the message
        String head = options("Content-Length: 2\r\n", "");
        assertThat(check(head + "abINVITE sip:x SIP/2.0\r\n\r\n")).isEqualTo(new Pass(head.length() + 2));
        String empty = options("Content-Length: 0\r\n", "");
        assertThat(check(empty + "garbage")).isEqualTo(new Pass(empty.length()));
    }

    @Test
    void withoutContentLengthADatagramsBodyIsTheRest() {
        String message = options("", "abcd");
        assertThat(check(message)).isEqualTo(new Pass(message.length()));
    }

    @Test
    void onAStreamTheStacksParserFramesByContentLengthButItMustBeANumber() {
        // the stream parser hands over the headers alone and reads the body itself
        String headers = options("Content-Length: 150\r\n", "");
        assertThat(check(headers, Framing.STREAM)).isEqualTo(new Pass(headers.length()));
        rejected(check(options("Content-Length: -1\r\n", ""), Framing.STREAM), Rule.CONTENT_LENGTH, 400);
    }

    @Test
    void aRequestWithoutTheHeadersAResponseNeedsIsDroppedNotAnswered() {
        for (String missing : new String[] {"Via", "From", "To", "Call-ID", "CSeq"}) {
            String message = options("Content-Length: 0\r\n", "").replaceFirst("(?m)^" + missing + ":[^\r]*\r\n", "");
            Reject reject = rejected(check(message), Rule.MISSING_HEADER, 400);
            assertThat(reject.standIn()).as("no answer without %s", missing).isNull();
        }
    }

    @Test
    void anotherVersionGets505() {
        String message = options("Content-Length: 0\r\n", "").replace(" SIP/2.0\r\n", " SIP/7.0\r\n");
        Reject reject = rejected(check(message), Rule.VERSION, 505);
        assertThat(reject.reason()).isEqualTo("Version Not Supported (SIP/7.0)");
        assertThat(standIn(reject)).startsWith("OPTIONS sip:stand-in.invalid SIP/2.0\r\n");
        assertThat(check(message.replace(" SIP/7.0\r\n", " sip/2.0\r\n")))
                .as("the version is case-insensitive (RFC 3261 7.1)")
                .isInstanceOf(Pass.class);
    }

    @Test
    void aBrokenRequestLineGets400() {
        rejected(check(options("", "").replace("OPTIONS sip:echo@example.com", "OPTIONS")), Rule.START_LINE, 400);
        rejected(
                check(options("", "").replace("sip:echo@example.com", "sip:echo@example.com; lr")),
                Rule.START_LINE,
                400);
        Reject brackets = rejected(
                check(options("", "").replace("sip:echo@example.com", "<sip:echo@example.com>")), Rule.START_LINE, 400);
        assertThat(brackets.reason()).contains("angle brackets");
    }

    @Test
    void extraSpacesInTheRequestLineAreAccepted() {
        // RFC 4475 3.1.2.9 and 3.1.2.10 allow a liberal reading
        String message = options("", "")
                .replace("OPTIONS sip:echo@example.com SIP/2.0", "OPTIONS  sip:echo@example.com  SIP/2.0 ");
        assertThat(check(message)).isInstanceOf(Pass.class);
    }

    @Test
    void aCSeqOfAnotherMethodGets400OrForAnUnknownMethod501() {
        Reject other = rejected(check(options("", "").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")), Rule.CSEQ, 400);
        assertThat(other.reason()).contains("INVITE");
        // the stand-in's request line takes the CSeq's method, so the stack passes it on to be answered
        assertThat(standIn(other)).startsWith("INVITE sip:stand-in.invalid SIP/2.0\r\n");
        rejected(
                check(options("", "")
                        .replace("OPTIONS sip:", "NEWMETHOD sip:")
                        .replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")),
                Rule.CSEQ,
                501);
    }

    @Test
    void aCSeqNumberOf2To31OrMoreGets400() {
        rejected(check(options("", "").replace("CSeq: 1 OPTIONS", "CSeq: 2147483648 OPTIONS")), Rule.CSEQ, 400);
        rejected(check(options("", "").replace("CSeq: 1 OPTIONS", "CSeq: OPTIONS")), Rule.CSEQ, 400);
        assertThat(check(options("", "").replace("CSeq: 1 OPTIONS", "CSeq: 2147483647 OPTIONS")))
                .isInstanceOf(Pass.class);
    }

    @Test
    void aRequestUriOfAnotherSchemeGets416() {
        rejected(
                check(options("", "").replace("OPTIONS sip:echo@example.com", "OPTIONS soap.beep://192.0.2.1:3002")),
                Rule.URI_SCHEME,
                416);
        assertThat(check(options("", "").replace("sip:echo@", "sips:echo@"))).isInstanceOf(Pass.class);
        assertThat(check(options("", "").replace("sip:echo@example.com", "tel:+15551234567")))
                .isInstanceOf(Pass.class);
    }

    @Test
    void onADatagramTheTopViaMustSayUdp() {
        String tcp = options("", "").replace("SIP/2.0/UDP 192.0.2.1", "SIP/2.0/TCP 192.0.2.1");
        Reject reject = rejected(check(tcp), Rule.VIA_TRANSPORT, 400);
        assertThat(reject.reason()).isEqualTo("Bad Request (Via says TCP but it came over UDP)");
        assertThat(check(tcp, Framing.STREAM)).isInstanceOf(Pass.class);
        assertThat(check(options("", "").replace("SIP/2.0/UDP", "SIP / 2.0 / udp")))
                .isInstanceOf(Pass.class);
        assertThat(PreParseCheck.viaTransport("SIP  /   2.0 /UDP 192.0.2.2;branch=390skdjuw"))
                .isEqualTo("UDP");
        assertThat(PreParseCheck.viaTransport("SIP/2.0/TLS\thost")).isEqualTo("TLS");
        assertThat(PreParseCheck.viaTransport(null)).isEmpty();
    }

    @Test
    void responsesAndAcksAreNeverAnswered() {
        String response = "SIP/2.0 200 OK\r\n" + HEADERS + "CSeq: 2 OPTIONS\r\n\r\n";
        Reject reject = rejected(check(response), Rule.DUPLICATE_HEADER, 400);
        assertThat(reject.standIn()).isNull();
        assertThat(check("SIP/2.0 200 OK\r\n" + HEADERS + "\r\n")).isInstanceOf(Pass.class);
        rejected(check("SIP/7.0 200 OK\r\n" + HEADERS + "\r\n"), Rule.VERSION, 505);
        String ack = options("Content-Length: 99\r\n", "").replace("OPTIONS", "ACK");
        assertThat(((Reject) check(ack)).standIn()).isNull();
    }

    @Test
    void foldedHeadersAreReadAsOne() {
        String message =
                options("", "").replace("To: <sip:echo@example.com>\r\n", "To:\r\n <sip:echo@example.com>\r\n");
        assertThat(check(message)).isInstanceOf(Pass.class);
        Reject reject = rejected(
                check(message.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nMax-Forwards: 1\r\n")),
                Rule.DUPLICATE_HEADER,
                400);
        assertThat(standIn(reject)).contains("To: <sip:echo@example.com>\r\n");
    }

    @Test
    void reasonsCarryNothingButPrintableCharacters() {
        assertThat(PreParseCheck.printable("A\r\nB: \"x\" (y)\u0000")).isEqualTo("A??B:??x???y??");
        assertThat(PreParseCheck.printable("x".repeat(100))).hasSize(40);
    }
}
