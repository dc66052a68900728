package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * RFC 4028 session timers over the wire, with SIPp: we refresh when the other side makes us the refresher (as callee
 * and as caller, and again after a 491), and we end a session the caller stopped refreshing. RFC 4028's smallest
 * interval is 90 s, so the two inbound tests take about 45 s and 60 s.
 */
class SessionTimerIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    static Path data;

    private static Softswitch server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.configured(
                data,
                """
                assistants:
                  - id: echo
                    kind: echo
                trunks:
                  - name: local
                    networks: [127.0.0.1/32]
                    routes:
                      default: echo
                """,
                Map.of(),
                Duration.ZERO,
                Duration.ofSeconds(120)); // SIPp sends no RTP: no media timeout here
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCallerThatMakesUsTheRefresherGetsAnUpdateAtHalfTheInterval(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "session-refresh-by-us", Map.of());
        Sipp.Result sipp =
                Sipp.run(dir, server.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as("200 with Session-Expires 90;refresher=uas, then our UPDATE about 45 s later\n%s", sipp.output())
                .isZero();
    }

    @Test
    void ourRefreshReInviteThatMeetsA491IsSentAgainAndTheCallGoesOn(@TempDir Path dir) throws Exception {
        long completed = server.sip().callResults().getOrDefault("completed", 0L);
        Path scenario = Sipp.scenario(dir, "reinvite-glare", Map.of());
        Sipp.Result sipp =
                Sipp.run(dir, server.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(sipp.exitCode())
                .as(
                        "our re-INVITE at about 45 s -> 491, again within 2 s -> 200, ACK, then the caller's BYE\n%s",
                        sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.sip().callResults().getOrDefault("completed", 0L) == completed + 1);
    }

    @Test
    void aSessionTheCallerStopsRefreshingIsEndedWithByeBeforeItExpires(@TempDir Path dir) throws Exception {
        long before = server.sip().callResults().getOrDefault("session_expired", 0L);
        Path scenario = Sipp.scenario(dir, "session-expiry", Map.of());
        long started = System.nanoTime();
        Sipp.Result sipp =
                Sipp.run(dir, server.sip().port(), LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(sipp.exitCode()).as("our BYE\n%s", sipp.output()).isZero();
        assertThat(took).as("BYE at 90 s less 30 s").isBetween(Duration.ofSeconds(58), Duration.ofSeconds(70));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.sip().callResults().getOrDefault("session_expired", 0L) == before + 1);
    }

    @Test
    void asTheCallerWeRefreshWhenTheCalleeSaysSoAndTryAgainAfterA491(@TempDir Path dir) throws Exception {
        int callee = FreePorts.udpAndTcp();
        Process sipp = Sipp.serve(
                dir,
                callee,
                Duration.ofSeconds(30),
                "-sf",
                Sipp.scenario(dir, "uas-session-timer", Map.of()).toString(),
                "-m",
                "1");
        Thread.sleep(300);
        int rtp = FreePorts.rtpRangeStart();
        Path records = dir.resolve("dial.jsonl");
        long started = System.nanoTime();
        int status = new CommandLine(new Main())
                .execute(
                        "dial",
                        "--to",
                        "sip:callee@127.0.0.1:" + callee,
                        "--sip-port",
                        Integer.toString(FreePorts.udpAndTcp()),
                        "--rtp-ports",
                        rtp + "-" + (rtp + 99),
                        "--call-records",
                        records.toString(),
                        "--max-duration",
                        "10s");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Sipp.Result far = Sipp.result(sipp, dir, Duration.ofSeconds(30));
        assertThat(status).as("answered").isZero();
        assertThat(far.exitCode())
                .as(
                        "UPDATE at 2 s -> 491, again 2.1-4 s later -> 200, again 2 s later -> 200, then our BYE\n%s",
                        far.output())
                .isZero();
        assertThat(took).as("the call lasted its 10 s").isLessThan(Duration.ofSeconds(20));
        List<String> lines = Files.readAllLines(records);
        JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(record.path("reason").asText()).isEqualTo("max_duration");
    }
}
