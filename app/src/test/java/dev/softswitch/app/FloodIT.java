package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.softswitch.app.metrics.SoftswitchMetrics;
import dev.softswitch.sip.guard.GuardStats;
import dev.softswitch.sip.guard.SipGuard;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Floods, password guessing and scanners against a softswitch on 127.0.0.1 whose {@code security:} section exempts
 * nothing (by default loopback is exempt). Every load is bounded in count (SIPp {@code -m}) and time.
 */
class FloodIT {

    private static final String KEY = "echo-key-0123456789abcdef";
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static final String ASSISTANTS = """
            assistants:
              - id: echo
                kind: echo
                api_keys: ["${env:ECHO_KEY}"]
            """;

    private final ListAppender<ILoggingEvent> security = new ListAppender<>();

    @BeforeEach
    void captureSecurityLog() {
        security.start();
        ((Logger) LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER)).addAppender(security);
    }

    @AfterEach
    void releaseSecurityLog() {
        ((Logger) LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER)).detachAppender(security);
    }

    private static Softswitch server(Path dir, String security) throws Exception {
        return TestServers.configured(dir, ASSISTANTS + security, Map.of("ECHO_KEY", KEY));
    }

    private List<String> securityLines() {
        return security.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void anOptionsFloodBansItsSourceAndOtherAddressesAreStillServed(@TempDir Path dir) throws Exception {
        try (Softswitch server = server(Files.createDirectory(dir.resolve("server")), """
                security:
                  requests_per_second: 20
                  request_burst: 40
                  ban_time: 1m
                  exempt: []
                """)) {
            Path flood = Files.createDirectory(dir.resolve("flood"));
            Path scenario = Sipp.scenario(flood, "options", Map.of());
            // 2000 OPTIONS at 1000/s from 127.0.0.1: the first 40 (the burst) are answered, then the address is banned
            Sipp.Result sipp = Sipp.run(
                    flood,
                    server.sip().port(),
                    LIMIT,
                    "-sf",
                    scenario.toString(),
                    "-s",
                    "echo",
                    "-m",
                    "2000",
                    "-r",
                    "1000",
                    "-l",
                    "2000",
                    "-recv_timeout",
                    "1000");
            assertThat(sipp.exitCode())
                    .as("SIPp: most OPTIONS unanswered\n%s", sipp.output())
                    .isNotZero();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                GuardStats stats = server.sip().guard().stats();
                assertThat(stats.rateLimited()).isEqualTo(1);
                assertThat(stats.bans()).isEqualTo(1);
                assertThat(stats.bannedNow()).isEqualTo(1);
                assertThat(stats.bannedDrops()).isGreaterThan(1900);
            });
            assertThat(securityLines()).containsExactly("SIP ban 127.0.0.1 for 60 s: request rate over 20/s");

            // another address is not affected by 127.0.0.1's ban
            Path other = Files.createDirectory(dir.resolve("other"));
            Sipp.Result fromOther = Sipp.runFrom(
                    "127.0.0.2",
                    other,
                    server.sip().port(),
                    LIMIT,
                    "-sf",
                    Sipp.scenario(other, "options", Map.of()).toString(),
                    "-s",
                    "echo",
                    "-m",
                    "5",
                    "-r",
                    "5");
            assertThat(fromOther.exitCode())
                    .as("OPTIONS from 127.0.0.2\n%s", fromOther.output())
                    .isZero();
            assertThat(request(server, options("OPTIONS", "")))
                    .as("127.0.0.1 still banned")
                    .isEmpty();

            try (SoftswitchMetrics metrics =
                    new SoftswitchMetrics().sipGuard(() -> server.sip().guard().stats())) {
                assertThat(metrics.scrape())
                        .contains("softswitch_sip_bans_total 1.0")
                        .contains("softswitch_sip_rate_limited_total 1.0")
                        .contains("softswitch_sip_banned_addresses 1.0");
            }
        }
    }

    @Test
    void repeatedWrongKeysBanTheGuesser(@TempDir Path dir) throws Exception {
        try (Softswitch server = server(dir, """
                security:
                  max_auth_failures: 3
                  auth_failure_window: 1m
                  ban_time: 1m
                  exempt: []
                """)) {
            for (int i = 0; i < 3; i++) {
                assertThat(request(server, invite("echo:wrong-key-" + i)))
                        .as("guess %d", i)
                        .startsWith("SIP/2.0 403 ");
            }
            assertThat(request(server, invite("echo:" + KEY)))
                    .as("banned: even the right key gets no answer now")
                    .isEmpty();
            GuardStats stats = server.sip().guard().stats();
            assertThat(stats.authFailures()).isEqualTo(3);
            assertThat(stats.bans()).isEqualTo(1);
            assertThat(securityLines())
                    .containsExactly(
                            "SIP auth failure from 127.0.0.1 (INVITE)",
                            "SIP auth failure from 127.0.0.1 (INVITE)",
                            "SIP auth failure from 127.0.0.1 (INVITE)",
                            "SIP ban 127.0.0.1 for 60 s: 3 failed authentications")
                    .allSatisfy(
                            line -> assertThat(line).doesNotContain("wrong-key").doesNotContain(KEY));
        }
    }

    @Test
    void scannersGetNoAnswerNorDoInvitesWithoutCredentialsWhenHidden(@TempDir Path dir) throws Exception {
        try (Softswitch server = server(Files.createDirectory(dir.resolve("server")), """
                security:
                  hidden: true
                  exempt: []
                """)) {
            assertThat(request(server, options("OPTIONS", "User-Agent: friendly-scanner\r\n")))
                    .isEmpty();
            assertThat(request(server, options("OPTIONS", "User-Agent: sipvicious 0.3.4\r\n")))
                    .isEmpty();
            assertThat(request(server, options("OPTIONS", "User-Agent: Linphone/5.2\r\n")))
                    .startsWith("SIP/2.0 200 ");
            assertThat(request(server, invite("echo")))
                    .as("no credentials: hidden")
                    .isEmpty();
            Path calls = Files.createDirectory(dir.resolve("calls"));
            Path scenario = Sipp.scenario(calls, "call", Map.of("to", "echo:" + KEY));
            Sipp.Result sipp = Sipp.run(
                    calls, server.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "echo:" + KEY, "-m", "2");
            assertThat(sipp.exitCode())
                    .as("calls with the key are answered\n%s", sipp.output())
                    .isZero();
            GuardStats stats = server.sip().guard().stats();
            assertThat(stats.scannerDrops()).isEqualTo(2);
            assertThat(stats.hiddenDrops()).isEqualTo(1);
            assertThat(stats.bans()).isZero();
        }
    }

    /** An out-of-dialog request with {@code extra} header lines. */
    private static String options(String method, String extra) {
        int n = COUNTER.incrementAndGet();
        return method + " sip:echo@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-flood-" + n + "-" + System.nanoTime() + ";rport\r\n"
                + "From: <sip:tester@127.0.0.1>;tag=f" + n + "\r\n"
                + "To: <sip:echo@127.0.0.1>\r\n"
                + "Call-ID: flood-" + n + "-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    /** An INVITE to {@code user} (e.g. {@code echo:KEY}) with a PCMU offer. */
    private static String invite(String user) {
        int n = COUNTER.incrementAndGet();
        String sdp = "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:" + user + "@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-inv-" + n + "-" + System.nanoTime() + ";rport\r\n"
                + "From: <sip:tester@127.0.0.1>;tag=i" + n + "\r\n"
                + "To: <sip:echo@127.0.0.1>\r\n"
                + "Call-ID: inv-" + n + "-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:tester@127.0.0.1>\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n"
                + sdp;
    }

    /** Sends {@code request} from a fresh socket: the first final status line within 2 s, or empty. */
    private static String request(Softswitch server, String request) throws IOException {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.send(new DatagramPacket(
                    bytes,
                    bytes.length,
                    InetAddress.getLoopbackAddress(),
                    server.sip().port()));
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            byte[] buffer = new byte[65_535];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return "";
                }
                String first = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1)
                        .lines()
                        .findFirst()
                        .orElse("");
                if (!first.startsWith("SIP/2.0 1")) {
                    return first;
                }
            }
            return "";
        }
    }
}
