package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.WavAudio;
import dev.softswitch.config.TlsClientAuth;
import dev.softswitch.config.TlsConfig;
import dev.softswitch.sip.DialRequest;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.tls.SipTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIP over TLS against real peers on 127.0.0.1: a Java TLS client speaking SIP by hand, baresip calling the echo
 * assistant, silent and garbage connections, and a second softswitch placing calls over TLS with the server's
 * certificate and host name checked. The certificates are made by keytool when the test starts.
 */
class TlsIT {

    /** Short, so that the silent-client test does not wait 10 s. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path certs;

    private static TlsCertificates.Issued serverCert;
    private static Softswitch server;
    private static SipTls tls;

    @BeforeAll
    static void start() throws Exception {
        serverCert = TlsCertificates.issue(certs, "softswitch-test", "dns:localhost,ip:127.0.0.1");
        tls = SipTls.load(tlsConfig(FreePorts.udpAndTcp(), serverCert, null));
        server = startServer(tls);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TlsConfig tlsConfig(int port, TlsCertificates.Issued cert, @Nullable Path caFile) {
        return new TlsConfig(port, cert.cert(), cert.key(), null, null, TlsClientAuth.NONE, caFile, HANDSHAKE_TIMEOUT);
    }

    private static Softswitch startServer(SipTls sipTls) throws StartupException {
        int rtp = FreePorts.rtpRangeStart();
        ServeSettings settings = new ServeSettings(
                "127.0.0.1",
                "127.0.0.1",
                FreePorts.udpAndTcp(),
                rtp,
                rtp + 399,
                0,
                Duration.ZERO,
                Duration.ofSeconds(30),
                TestServers.records(),
                TestServers.recordings());
        return Softswitch.start(settings, null, false, sipTls);
    }

    // ------------------------------------------------------------------ (a) a TLS client speaking SIP

    @Test
    void optionsOverTlsIsAnsweredOnTheSameConnectionWithItsVia() throws Exception {
        try (TlsSipClient client = new TlsSipClient(TlsCertificates.trusting(serverCert), tls.port())) {
            assertThat(client.protocol()).isEqualTo("TLSv1.3");
            client.send("""
                    OPTIONS sip:echo@127.0.0.1:%1$d;transport=tls SIP/2.0
                    Via: SIP/2.0/TLS 127.0.0.1:%2$d;branch=z9hG4bK-tls-options;rport
                    Max-Forwards: 70
                    From: <sip:probe@127.0.0.1>;tag=probe1
                    To: <sip:echo@127.0.0.1>
                    Call-ID: tls-options-1@127.0.0.1
                    CSeq: 1 OPTIONS
                    Content-Length: 0

                    """.formatted(tls.port(), client.localPort()));
            String response = client.read();
            assertThat(response).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(header(response, "Via"))
                    .isEqualTo("SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK-tls-options;rport=%d;received=127.0.0.1"
                            .formatted(client.localPort(), client.localPort()));
            assertThat(header(response, "Allow")).contains("INVITE");
        }
    }

    @ParameterizedTest(name = "a call to {0}:echo over TLS gets a Contact on the TLS port, and ends with BYE")
    @ValueSource(strings = {"sip", "sips"})
    void aCallOverTlsHasAContactOnTheTlsPort(String scheme) throws Exception {
        long before = completed();
        try (TlsSipClient client = new TlsSipClient(TlsCertificates.trusting(serverCert), tls.port());
                DatagramSocket media = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String target = scheme + ":echo@127.0.0.1:" + tls.port() + ("sip".equals(scheme) ? ";transport=tls" : "");
            String callId = "tls-call-" + scheme + "@127.0.0.1";
            String sdp = """
                    v=0
                    o=tester 1 1 IN IP4 127.0.0.1
                    s=-
                    c=IN IP4 127.0.0.1
                    t=0 0
                    m=audio %d RTP/AVP 0
                    a=rtpmap:0 PCMU/8000
                    a=sendrecv
                    """.formatted(media.getLocalPort()).replace("\n", "\r\n");
            client.send("""
                    INVITE %1$s SIP/2.0
                    Via: SIP/2.0/TLS 127.0.0.1:%2$d;branch=z9hG4bK-tls-invite-%3$s;rport
                    Max-Forwards: 70
                    From: <sip:tester@127.0.0.1>;tag=caller1
                    To: <%1$s>
                    Call-ID: %4$s
                    CSeq: 1 INVITE
                    Contact: <%3$s:tester@127.0.0.1:%2$d%5$s>
                    Content-Type: application/sdp
                    Content-Length: %6$d

                    """.formatted(
                                    target,
                                    client.localPort(),
                                    scheme,
                                    callId,
                                    "sip".equals(scheme) ? ";transport=tls" : "",
                                    sdp.length())
                    + sdp);
            String ok;
            List<String> statuses = new ArrayList<>();
            do {
                ok = client.read();
                statuses.add(ok.substring(0, ok.indexOf('\r')));
            } while (ok.startsWith("SIP/2.0 1"));
            assertThat(statuses).endsWith("SIP/2.0 200 OK");
            String contact = header(ok, "Contact");
            assertThat(contact)
                    .isEqualTo(
                            "sip".equals(scheme)
                                    ? "<sip:127.0.0.1:" + tls.port() + ";transport=tls>"
                                    : "<sips:127.0.0.1:" + tls.port() + ">");
            String toTag = header(ok, "To").replaceAll(".*;tag=", "");
            String remote = contact.substring(1, contact.length() - 1);
            client.send(request("ACK", remote, target, toTag, callId, 1, client.localPort(), "ack"));
            client.send(request("BYE", remote, target, toTag, callId, 2, client.localPort(), "bye"));
            String bye;
            do {
                bye = client.read(); // a 200 to the INVITE may come again if it crossed our ACK (RFC 3261 13.3.1.4)
            } while (header(bye, "CSeq").equals("1 INVITE"));
            assertThat(bye).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(header(bye, "CSeq")).isEqualTo("2 BYE");
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(completed() - before).isEqualTo(1));
    }

    private static String request(
            String method, String uri, String to, String toTag, String callId, int cseq, int localPort, String id) {
        return """
                %1$s %2$s SIP/2.0
                Via: SIP/2.0/TLS 127.0.0.1:%3$d;branch=z9hG4bK-tls-%4$s-%9$d;rport
                Max-Forwards: 70
                From: <sip:tester@127.0.0.1>;tag=caller1
                To: <%6$s>;tag=%7$s
                Call-ID: %5$s
                CSeq: %8$d %1$s
                Content-Length: 0

                """.formatted(method, uri, localPort, id, callId, to, toTag, cseq, System.nanoTime());
    }

    // ------------------------------------------------------------------ (b) baresip

    @Test
    void baresipCallsTheEchoOverTlsAndHearsItsOwnTone(@TempDir Path dir) throws Exception {
        long before = completed();
        Baresip.Call call = Baresip.dial(
                dir,
                "sip:echo@127.0.0.1:" + tls.port() + ";transport=tls",
                "PCMU",
                1000,
                4,
                List.of("sip_cafile " + serverCert.cert()));
        assertThat(call.output()).contains("Call established").contains("transport=tls");
        WavAudio heard = call.heard();
        int rate = heard.sampleRate();
        assertThat(heard.frames())
                .as("baresip heard %d samples; its output:\n%s", heard.frames(), call.output())
                .isGreaterThan(2 * rate);
        short[] mono = heard.channel(0);
        assertThat(Goertzel.relativePower(mono, rate, rate, 1000, rate))
                .as("share of the heard audio's energy at 1000 Hz")
                .isGreaterThan(0.8);
        assertThat(Goertzel.relativePower(mono, rate, rate, 440, rate)).isLessThan(0.05);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(completed() - before).isEqualTo(1);
            assertThat(server.media().pool().leased()).isZero();
        });
    }

    // ------------------------------------------------------------------ (c) silent and garbage connections

    @Test
    void silentConnectionsAreClosedAfterTheHandshakeTimeoutWhileOthersAreServed() throws Exception {
        long timedOutBefore = tls.handshakesTimedOut();
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), tls.port());
            socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis() + 5000);
            silent.add(socket);
        }
        long opened = System.nanoTime();
        // Meanwhile a real client is served at once.
        assertThat(optionsStatus()).isEqualTo("SIP/2.0 200 OK");
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(HANDSHAKE_TIMEOUT);
        for (Socket socket : silent) {
            try (socket) {
                assertThat(readUntilClosed(socket.getInputStream()))
                        .as("the server closes a connection that sends nothing")
                        .isTrue();
            }
        }
        Duration held = Duration.ofNanos(System.nanoTime() - opened);
        assertThat(held).isBetween(HANDSHAKE_TIMEOUT.minusMillis(300), HANDSHAKE_TIMEOUT.plusSeconds(3));
        // Counted as each is closed, which the client may see a moment before the count moves.
        await().atMost(Duration.ofSeconds(5)).until(() -> tls.handshakesTimedOut() - timedOutBefore >= 5);
        assertThat(optionsStatus()).isEqualTo("SIP/2.0 200 OK");
    }

    @Test
    void failedHandshakesNeverUseUpTheStacksConnectionSlots() throws Exception {
        // The stack takes 1024 connections (MAX_CONNECTIONS); its own TLS path keeps the slot of each failed
        // handshake. More failures than that, and the listener must still serve.
        long failedBefore = tls.handshakesFailed();
        byte[] plaintext = "OPTIONS sip:echo@127.0.0.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1100; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tls.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(plaintext);
                assertThat(readUntilClosed(socket.getInputStream())).isTrue();
            }
        }
        assertThat(optionsStatus()).isEqualTo("SIP/2.0 200 OK");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tls.handshakesFailed() - failedBefore)
                .isGreaterThanOrEqualTo(1100));
    }

    // ------------------------------------------------------------------ (d) placing calls over TLS

    @Test
    void aCallPlacedOverTlsChecksTheServersCertificateAndName(@TempDir Path dir) throws Exception {
        // A second server whose certificate is trusted but names another host.
        TlsCertificates.Issued elsewhere = TlsCertificates.issue(dir, "elsewhere", "dns:sip.elsewhere.test");
        SipTls elsewhereTls = SipTls.load(tlsConfig(FreePorts.udpAndTcp(), elsewhere, null));
        TlsCertificates.Issued callerCert = TlsCertificates.issue(dir, "caller", "dns:localhost");
        Path trusted = TlsCertificates.caFile(dir.resolve("trusted.pem"), serverCert, elsewhere);
        try (Softswitch other = startServer(elsewhereTls);
                Softswitch caller = startServer(SipTls.load(tlsConfig(FreePorts.udpAndTcp(), callerCert, trusted)))) {
            long before = completed();
            DialStatus answered = dial(caller, "sip:echo@127.0.0.1:" + tls.port() + ";transport=tls");
            assertThat(answered.outcome()).isEqualTo(DialStatus.Outcome.ANSWERED);
            assertThat(answered.answered()).isNotNull();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(completed() - before).isEqualTo(1));

            long refusedBefore = elsewhereTls.handshakesFailed();
            DialStatus refused = dial(caller, "sip:echo@127.0.0.1:" + elsewhereTls.port() + ";transport=tls");
            assertThat(refused.outcome()).isEqualTo(DialStatus.Outcome.UNREACHABLE);
            assertThat(refused.answered()).isNull();
            assertThat(elsewhereTls.handshakesFailed() - refusedBefore)
                    .as("the caller gave up in the handshake: sip.elsewhere.test is not 127.0.0.1")
                    .isGreaterThanOrEqualTo(1);
            assertThat(other.sip().callResults()).isEmpty();
        }
    }

    /** Places a call lasting 1 s and returns its last status, once it has ended. */
    private static DialStatus dial(Softswitch from, String uri) {
        List<DialStatus> statuses = new CopyOnWriteArrayList<>();
        from.sip()
                .dial(
                        new DialRequest(
                                uri,
                                null,
                                "tls",
                                "tester",
                                null,
                                null,
                                "tone",
                                Map.of(),
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(1)),
                        statuses::add);
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        !statuses.isEmpty() && statuses.get(statuses.size() - 1).phase() == DialStatus.Phase.ENDED);
        return statuses.get(statuses.size() - 1);
    }

    // ------------------------------------------------------------------ helpers

    private static long completed() {
        return server.sip().callResults().getOrDefault("completed", 0L);
    }

    /** An OPTIONS over a new TLS connection; its response's status line. */
    private static String optionsStatus() throws Exception {
        try (TlsSipClient client = new TlsSipClient(TlsCertificates.trusting(serverCert), tls.port())) {
            client.send("""
                    OPTIONS sip:echo@127.0.0.1:%1$d;transport=tls SIP/2.0
                    Via: SIP/2.0/TLS 127.0.0.1:%2$d;branch=z9hG4bK-%3$d;rport
                    Max-Forwards: 70
                    From: <sip:probe@127.0.0.1>;tag=probe
                    To: <sip:echo@127.0.0.1>
                    Call-ID: tls-probe-%3$d@127.0.0.1
                    CSeq: 1 OPTIONS
                    Content-Length: 0

                    """.formatted(tls.port(), client.localPort(), System.nanoTime()));
            String response = client.read();
            return response.substring(0, response.indexOf('\r'));
        }
    }

    /** Reads until the peer closes the connection; false when it is still open after the socket's timeout. */
    private static boolean readUntilClosed(InputStream in) {
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // the server's alert, if any
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server: closed as well
        }
    }

    private static String header(String message, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \\t]*([^\\r\\n]*)")
                .matcher(message);
        assertThat(m.find()).as("%s in:\n%s", name, message).isTrue();
        return m.group(1);
    }

    /** SIP by hand over one TLS connection that trusts only the test certificate and checks the host name. */
    private static final class TlsSipClient implements AutoCloseable {

        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;

        TlsSipClient(SSLContext context, int port) throws IOException {
            socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        String protocol() {
            return socket.getSession().getProtocol();
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void send(String message) throws IOException {
            String crlf = message.replace("\r\n", "\n").replace("\n", "\r\n");
            out.write(crlf.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The next message: headers up to the blank line, then Content-Length bytes of body. */
        String read() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after: " + head.toString(StandardCharsets.UTF_8));
                }
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    continue; // keep-alive CRLFs between messages
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1
                        : (b == '\r' ? 1 : 0);
            }
            String headers = head.toString(StandardCharsets.UTF_8);
            Matcher length =
                    Pattern.compile("(?im)^(?:Content-Length|l):\\s*(\\d+)").matcher(headers);
            int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
            byte[] body = in.readNBytes(bodyLength);
            return headers + new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
