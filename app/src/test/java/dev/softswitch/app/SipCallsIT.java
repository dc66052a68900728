package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real SIP clients (SIPp) against a softswitch started in-process on 127.0.0.1: what a caller sees on the wire. */
class SipCallsIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static Softswitch server;

    @BeforeAll
    static void start() throws StartupException {
        server = TestServers.start(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hundredEchoCallsAllSucceedAndLeaveNothingBehind(@TempDir Path dir) throws Exception {
        long before = completed(server);
        Sipp.Result sipp = Sipp.run(
                dir, port(), LIMIT, "-sn", "uac", "-s", "echo", "-m", "100", "-r", "20", "-l", "40", "-d", "300");
        assertThat(sipp.exitCode())
                .as("SIPp exit code (0: all 100 calls successful)\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(completed(server) - before).isEqualTo(100);
            assertThat(server.sip().activeCalls()).isZero();
            assertThat(server.media().pool().leased())
                    .as("RTP ports still leased")
                    .isZero();
            assertThat(server.media().openSessions())
                    .as("RTP sockets still open")
                    .isZero();
        });
        assertThat(server.sip().illegalTransitions()).isZero();
    }

    @Test
    void callsOverTcpWork(@TempDir Path dir) throws Exception {
        long before = completed(server);
        Sipp.Result sipp =
                Sipp.run(dir, port(), LIMIT, "-sn", "uac", "-t", "t1", "-s", "echo", "-m", "5", "-r", "5", "-d", "200");
        assertThat(sipp.exitCode()).as("SIPp over TCP\n%s", sipp.output()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> completed(server) - before == 5);
    }

    @Test
    void optionsIsAnsweredWithAllowAndAccept(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "options", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("OPTIONS -> 200 with Allow and Accept\n%s", sipp.output())
                .isZero();
    }

    @ParameterizedTest(name = "INVITE to {0} offering {2} -> {3}")
    @CsvSource({
        "echo, 18, G729/8000, 488", // no common codec
        "echo, 3, GSM/8000, 488",
        "nobody, 0, PCMU/8000, 404", // unknown assistant
    })
    void refusedCallsGetTheirStatusWithAWarning(
            String assistant, String pt, String codec, String status, @TempDir Path dir) throws Exception {
        long leasedBefore = server.media().pool().leased();
        Path scenario = Sipp.scenario(dir, "expect-final", Map.of("pt", pt, "codec", codec, "status", status));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", assistant, "-m", "1");
        assertThat(sipp.exitCode())
                .as("expected %s with a Warning header\n%s", status, sipp.output())
                .isZero();
        assertThat(server.media().pool().leased()).isEqualTo(leasedBefore);
    }

    @ParameterizedTest(name = "media at {0} port {1} {2} -> 488")
    @CsvSource(
            delimiter = '|',
            value = {
                "224.0.0.1       | 6000 | a=sendrecv | multicast", // our RTP must not go to a group
                "255.255.255.255 | 6000 | a=sendrecv | broadcast",
                "127.0.0.1       | 53   | a=sendrecv | below 1024", // nor at a well-known service
                "127.0.0.1       | 6000 | a=ptime:1000 | ptime 1000 ms",
            })
    void hostileOffersAreRefusedWith488AndTakeNoPort(
            String address, String port, String attribute, String warning, @TempDir Path dir) throws Exception {
        long leasedBefore = server.media().pool().leased();
        Path scenario = Sipp.scenario(
                dir,
                "hostile-sdp",
                Map.of("address", address, "port", port, "attribute", attribute, "warning", warning));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("expected 488 with a Warning saying %s\n%s", warning, sipp.output())
                .isZero();
        assertThat(server.media().pool().leased()).isEqualTo(leasedBefore);
    }

    @ParameterizedTest(name = "{0} {3} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "FOO       | 501 | ''                  | ''", // unknown method: 501 with Allow
                "BYE       | 481 | ;tag=nosuchdialog   | ''",
                "REGISTER  | 405 | ''                  | ''", // the demo has no PBX users
                "MESSAGE   | 404 | ''                  | ''", // no call to deliver it to
                "NOTIFY    | 481 | ''                  | ''",
                "INFO      | 481 | ;tag=nosuchdialog   | ''",
                "UPDATE    | 481 | ;tag=nosuchdialog   | ''",
                "REFER     | 603 | ''                  | ''", // until transfer exists
                "SUBSCRIBE | 489 | ''                  | ''", // no event packages
                "PRACK     | 481 | ''                  | ''", // the stack: no dialog to acknowledge in
                "OPTIONS   | 420 | ''                  | '\r\n      Require: 100rel'", // an extension we lack
            })
    void everyMethodIsAnsweredTheSipWay(String method, String status, String toTag, String extra, @TempDir Path dir)
            throws Exception {
        Path scenario = Sipp.scenario(
                dir,
                "plain-request",
                Map.of("method", method, "status", status, "totag", toTag, "extra", extra.replace("\\r\\n", "\n")));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("%s -> %s\n%s", method, status, sipp.output())
                .isZero();
    }

    @Test
    void cancelWhileRingingGets487AndFreesThePort(@TempDir Path dir) throws Exception {
        try (Softswitch ringing = TestServers.start(Duration.ofSeconds(5))) {
            Path scenario = Sipp.scenario(dir, "cancel", Map.of());
            Sipp.Result sipp =
                    Sipp.run(dir, ringing.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
            assertThat(sipp.exitCode())
                    .as("CANCEL -> 200, INVITE -> 487\n%s", sipp.output())
                    .isZero();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(ringing.sip().callResults()).containsEntry("cancelled", 1L);
                assertThat(ringing.media().pool().leased()).isZero();
            });
        }
    }

    @Test
    void aCancelCrossingThe200ChangesNothingAndTheCallerAcksAndHangsUp(@TempDir Path dir) throws Exception {
        long before = completed(server);
        Path scenario = Sipp.scenario(dir, "cancel-crossing-200", Map.of("to", "echo"));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("200 to the INVITE, CANCEL -> 200 or 481, ACK, BYE -> 200\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(completed(server) - before)
                    .as("ended by the BYE, not cancelled")
                    .isEqualTo(1);
            assertThat(server.sip().activeCalls()).isZero();
        });
        assertThat(server.sip().illegalTransitions()).isZero();
    }

    @Test
    void stoppingTheServerEndsCallsWithBye(@TempDir Path dir) throws Exception {
        Softswitch stopping = TestServers.start(Duration.ZERO);
        try {
            Path scenario = Sipp.scenario(dir, "server-hangup", Map.of());
            Process sipp =
                    Sipp.start(dir, stopping.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "tone", "-m", "1");
            await().atMost(Duration.ofSeconds(10)).until(() -> stopping.sip().activeCalls() == 1);
            stopping.stop(Duration.ofSeconds(5));
            assertThat(sipp.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(sipp.exitValue())
                    .as("SIPp got our BYE and answered it\n%s", java.nio.file.Files.readString(dir.resolve("sipp.out")))
                    .isZero();
            assertThat(stopping.sip().callResults()).containsEntry("completed", 1L);
            assertThat(stopping.media().pool().leased()).isZero();
        } finally {
            stopping.close();
        }
    }

    @Test
    void holdResumeAndARefreshWithoutSdpAreAnsweredAndTheCallCarriesOn(@TempDir Path dir) throws Exception {
        long before = completed(server);
        Path scenario = Sipp.scenario(dir, "hold", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("sendonly -> recvonly, sendrecv -> sendrecv, no SDP -> our offer\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed(server) - before == 1);
        assertThat(server.sip().illegalTransitions()).isZero();
    }

    @Test
    void aReInviteBeforeTheFirstIsDoneGets500WithRetryAfterAndTheCallCarriesOn(@TempDir Path dir) throws Exception {
        long before = completed(server);
        Path scenario = Sipp.scenario(dir, "reinvite-before-ack", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("re-INVITE before the ACK -> 500 with Retry-After, then ACK and BYE\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed(server) - before == 1);
        assertThat(server.sip().illegalTransitions()).isZero();
    }

    @Test
    void aReInviteMovesTheCallToAnotherCodecAtTheSameRateOrAnotherAndRefusesOneWeDoNotHave(@TempDir Path dir)
            throws Exception {
        long before = completed(server);
        Path scenario = Sipp.scenario(dir, "codec-change", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("PCMU -> PCMA accepted, -> G722 accepted, -> GSM refused with 488\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed(server) - before == 1);
    }

    @Test
    void aLostAckEndsTheCallWithByeAfter64T1(@TempDir Path dir) throws Exception {
        long before = server.sip().callResults().getOrDefault("ack_timeout", 0L);
        Path scenario = Sipp.scenario(dir, "no-ack", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("BYE after the unacknowledged 200\n%s", sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(server.sip().callResults()).containsEntry("ack_timeout", before + 1);
            assertThat(server.media().pool().leased()).isZero();
        });
    }

    private static int port() {
        return server.sip().port();
    }

    private static long completed(Softswitch s) {
        return s.sip().callResults().getOrDefault("completed", 0L);
    }
}
