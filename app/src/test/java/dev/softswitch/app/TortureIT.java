package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 4475's torture messages, each sent unchanged as one UDP datagram to a softswitch on 127.0.0.1 (the demo setup:
 * loopback callers reach the assistant named in the Request-URI). Each row says what comes back: the final status
 * (the {@code 100 Trying} an INVITE gets first is skipped), or {@code none}; and why, where that is not the RFC's
 * first choice. After every message the server still answers OPTIONS; normal calls succeed on every server used.
 *
 * <p>The messages' Via headers name hosts that are not the sender (192.0.2.x, example.com) and often no rport: answers
 * still come back to the packet's source address and port, because the stack forces rport ({@code ALWAYS_ADD_RPORT}).
 * The files whose Via says TCP are refused on UDP and sent again over TCP ({@link #viaTcp}), where they get the RFC's
 * answers.
 *
 * <p>The stack keys server transactions by the Via branch alone, and a dozen of these files share the branch
 * {@code z9hG4bKkdjuw}: the second of them would be taken for a retransmission of the first while that transaction
 * lives (32 s). So a file whose branch the current server has seen goes to a fresh server, once normal calls have
 * succeeded on the old one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TortureIT {

    /** How long to wait for an answer that should come, and to be sure none does. */
    private static final Duration ANSWER = Duration.ofSeconds(3);

    private static final Duration QUIET = Duration.ofMillis(1500);

    private static final Pattern BRANCH = Pattern.compile("(?i)branch\\s*=\\s*(z9hG4bK[^;,\\s]*)");

    private static Softswitch server;
    private static final Set<String> branches = new HashSet<>();
    private static int servers = 1;

    @BeforeAll
    static void start() throws StartupException {
        server = TestServers.start(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Order(1)
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # file     | answer | why, where it is not what RFC 4475 asks first
            # 3.1.1 valid messages: parsed, then answered by the application as any request
            wsinv      | 481    | well formed; its To tag puts it in a dialog that does not exist (RFC 3261 12.2.2)
            intmeth    | 400    | its Via says TCP: refused on UDP (see viaTcp below: 501 over TCP)
            esc01      | 404    | no assistant named sips:user@example.com
            escnull    | 405    | no registrar in the demo setup (no PBX users)
            esc02      | 400    | its Via says TCP: refused on UDP (501 over TCP)
            lwsdisp    | 200    |
            longreq    | 400    | its Via says TCP: refused on UDP (404 over TCP: no assistant named user)
            dblreq     | 405    | the REGISTER is answered, the INVITE after Content-Length: 0 ignored (one answer)
            semiuri    | 200    |
            transports | 200    |
            mpart01    | 404    | MESSAGE outside a call; framed by Content-Length, NULs and all
            unreason   | none   | a response to nothing we sent: dropped
            noreason   | none   | a response to nothing we sent: dropped
            # 3.1.2 invalid messages
            badinv01   | 400    | stack parser: malformed Via
            clerr      | 400    | pre-parse: Content-Length 9999 beyond the body
            ncl        | 400    | pre-parse: negative Content-Length
            scalar02   | 400    | pre-parse: CSeq over 2^31
            scalarlg   | none   | a response: discarded, as the RFC asks
            quotbal    | 400    | stack parser: malformed To
            ltgtruri   | 400    | pre-parse: Request-URI in angle brackets
            lwsruri    | 400    | pre-parse: malformed request line
            lwsstart   | 404    | liberal (RFC allows): extra spaces in the request line accepted; no assistant named user
            trws       | 400    | its Via says TCP: refused on UDP (200 over TCP: the trailing space is accepted)
            escruri    | 404    | liberal (RFC allows): the escaped Route in the Request-URI is never honoured
            baddate    | 404    | liberal (RFC allows): the Date header is not used
            regbadct   | 405    | liberal (RFC allows); no registrar in the demo setup
            badaspec   | 200    | liberal (RFC allows): To is only copied back
            baddn      | 200    | liberal (RFC allows): display names are only copied back
            badvers    | 505    | pre-parse: SIP/7.0
            mismatch01 | 400    | pre-parse: CSeq method INVITE on an OPTIONS
            mismatch02 | 501    | pre-parse: NEWMETHOD, the RFC's preferred answer
            bigcode    | none   | a response: dropped
            # 3.2 transaction layer, 3.3 application layer, 3.4 backward compatibility
            badbranch  | 200    | the bare z9hG4bK branch does not break anything
            insuf      | none   | no Call-ID, From, To: a response would lack what it must copy (RFC 3261 8.2.6.2); dropped, counted, not logged
            unkscm     | 416    | pre-parse: unknown URI scheme
            novelsc    | 416    | pre-parse: unknown URI scheme
            unksm2     | 405    | no registrar in the demo setup (a registrar would answer 400)
            bext01     | 400    | its Via says TLS: refused on UDP (420 over TCP)
            invut      | 404    | no assistant named user is found before the body is looked at (an assistant would get 415)
            regaut01   | 400    | its Via says TCP: refused on UDP (405 over TCP, the RFC's answer for a non-registrar)
            multi01    | 400    | pre-parse: two Call-ID, CSeq, From, To, Max-Forwards
            mcl01      | 400    | pre-parse: two Content-Length
            bcast      | none   | a response to nothing we sent: dropped, never forwarded
            zeromf     | 200    | an endpoint processes Max-Forwards: 0 normally
            cparam01   | 405    | no registrar in the demo setup
            cparam02   | 405    | no registrar in the demo setup
            regescrt   | 405    | no registrar in the demo setup
            sdp01      | 404    | no assistant named user is found before the offer is looked at (406 or 400 otherwise)
            inv2543    | none   | RFC 2543 style (no branch cookie, no From tag): SipServer gets no server transaction for it, takes it for a retransmission and leaves it unanswered (a finding for sip-core; RFC 4475 only asks for acceptance if backward compatible)
            """)
    void eachTortureMessageGetsItsAnswerAndTheServerStaysUp(String file, String answer, String why, @TempDir Path dir)
            throws Exception {
        byte[] message = torture(file);
        serverFor(message, dir);
        List<String> statusLines = sendAndListen(message, !answer.equals("none"));
        List<String> finals =
                statusLines.stream().filter(l -> !l.startsWith("SIP/2.0 1")).toList();
        if (answer.equals("none")) {
            assertThat(statusLines).as("%s: no answer (%s)", file, why).isEmpty();
        } else {
            assertThat(finals).as("%s: %s", file, why).isNotEmpty();
            assertThat(finals.get(0)).as("%s: %s", file, why).startsWith("SIP/2.0 " + answer + " ");
            assertThat(finals.stream().distinct())
                    .as("%s: one answer, perhaps retransmitted", file)
                    .hasSize(1);
        }
        assertThat(options()).as("the server still answers after %s", file).startsWith("SIP/2.0 200 ");
    }

    /**
     * The files whose Via says TCP (or TLS) as they were meant to travel: written once to a TCP connection, answered
     * on it. Here the RFC's own answers come back.
     */
    @Order(2)
    @ParameterizedTest(name = "{0} over TCP -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            intmeth  | 501 | the RFC's endpoint answer
            esc02    | 501 | RE%47IST%45R is not REGISTER: the RFC's endpoint answer
            longreq  | 404 | no assistant named user
            trws     | 200 | liberal (RFC allows): trailing space after SIP/2.0 accepted
            bext01   | 420 | Require of an unknown option
            regaut01 | 405 | not a registrar in the demo setup: the RFC's answer for one
            scalar02 | none | pre-parse: CSeq over 2^31; the stack sends no 400 on TCP, and a stand-in needs a readable CSeq
            unkscm   | 416 | pre-parse: unknown URI scheme, answered on the connection
            """)
    void viaTcp(String file, String answer, String why, @TempDir Path dir) throws Exception {
        byte[] message = torture(file);
        serverFor(message, dir);
        String status = sendOverTcp(message);
        if (answer.equals("none")) {
            assertThat(status).as("%s: no answer (%s)", file, why).isEmpty();
        } else {
            assertThat(status).as("%s: %s", file, why).startsWith("SIP/2.0 " + answer + " ");
        }
        assertThat(options()).as("the server still answers after %s", file).startsWith("SIP/2.0 200 ");
    }

    @Order(3)
    @Test
    void afterAllOfThemNormalCallsSucceed(@TempDir Path dir) throws Exception {
        normalCallsSucceed(dir, 5);
        assertThat(servers).as("servers used (a fresh one per reused branch)").isGreaterThan(1);
    }

    /** The server for {@code message}: a fresh one when the current one has seen its branch. */
    private static Softswitch serverFor(byte[] message, Path dir) throws Exception {
        Matcher m = BRANCH.matcher(new String(message, StandardCharsets.ISO_8859_1));
        if (m.find() && !branches.add(m.group(1).toLowerCase(Locale.ROOT))) {
            normalCallsSucceed(dir, 1);
            server.close();
            server = TestServers.start(Duration.ZERO);
            servers++;
            branches.clear();
            branches.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return server;
    }

    /** {@code calls} echo calls by SIPp on the current server succeed, and no error reached a stack thread. */
    private static void normalCallsSucceed(Path dir, int calls) throws Exception {
        long before = server.sip().callResults().getOrDefault("completed", 0L);
        Sipp.Result sipp = Sipp.run(
                Files.createTempDirectory(dir, "sipp"),
                server.sip().port(),
                Duration.ofSeconds(60),
                "-sn",
                "uac",
                "-s",
                "echo",
                "-m",
                Integer.toString(calls),
                "-r",
                "5",
                "-d",
                "200");
        assertThat(sipp.exitCode())
                .as("SIPp: %d echo calls\n%s", calls, sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.sip().callResults().getOrDefault("completed", 0L) - before == calls);
        assertThat(server.sip().guard().stats().listenerErrors()).isZero();
    }

    static byte[] torture(String name) throws IOException {
        try (InputStream in = TortureIT.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            assertThat(in).as("rfc4475/%s.dat", name).isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * Sends {@code message} as one datagram from a fresh socket and returns the status lines that come back: until a
     * final answer and a short quiet spell after it (to see a second answer, were there one), or for {@link #QUIET}
     * when none is expected.
     */
    private static List<String> sendAndListen(byte[] message, boolean answerExpected) throws IOException {
        List<String> lines = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.send(new DatagramPacket(
                    message,
                    message.length,
                    InetAddress.getLoopbackAddress(),
                    server.sip().port()));
            long deadline = System.nanoTime() + (answerExpected ? ANSWER : QUIET).toNanos();
            boolean finalSeen = false;
            byte[] buffer = new byte[65_535];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                String first = text.lines().findFirst().orElse("");
                lines.add(first);
                if (!finalSeen && !first.startsWith("SIP/2.0 1")) {
                    finalSeen = true;
                    deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
                }
            }
        }
        return lines;
    }

    /** Writes {@code message} to a new TCP connection and returns the first final status line that comes back. */
    private static String sendOverTcp(byte[] message) throws IOException {
        try (Socket socket =
                new Socket(InetAddress.getLoopbackAddress(), server.sip().port())) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            socket.getOutputStream().write(message);
            socket.getOutputStream().flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("SIP/2.0 ") && !line.startsWith("SIP/2.0 1")) {
                    return line;
                }
            }
            return "";
        } catch (SocketTimeoutException e) {
            return "";
        }
    }

    /** An OPTIONS from a fresh socket: the first status line that comes back, or empty. */
    private static String options() throws IOException {
        String request = "OPTIONS sip:echo@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-alive-" + System.nanoTime() + ";rport\r\n"
                + "From: <sip:tester@127.0.0.1>;tag=alive\r\n"
                + "To: <sip:echo@127.0.0.1>\r\n"
                + "Call-ID: alive-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        List<String> lines = sendAndListen(request.getBytes(StandardCharsets.US_ASCII), true);
        return lines.isEmpty() ? "" : lines.get(0);
    }
}
