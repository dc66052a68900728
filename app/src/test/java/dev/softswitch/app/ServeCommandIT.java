package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code softswitch} command run as a process, the way an operator runs it. */
class ServeCommandIT {

    @Test
    void servesCallsAndHealthThenStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        int sip = FreePorts.udpAndTcp();
        int http = FreePorts.udpAndTcp();
        int rtp = FreePorts.rtpRangeStart();
        Path log = dir.resolve("softswitch.log");
        Process server = softswitch(
                log,
                "serve",
                "--sip-port",
                "" + sip,
                "--http-port",
                "" + http,
                "--rtp-ports",
                rtp + "-" + (rtp + 399),
                "--call-records",
                dir.resolve("calls.jsonl").toString());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> read(log).contains("softswitch ready"));

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"up\"").contains("\"activeCalls\":0");
            HttpResponse<String> post = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/nope"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("/health");

            Sipp.Result calls = Sipp.run(
                    dir, sip, Duration.ofSeconds(30), "-sn", "uac", "-s", "echo", "-m", "10", "-r", "10", "-d", "200");
            assertThat(calls.exitCode())
                    .as("10 calls through the packaged command\n%s", calls.output())
                    .isZero();

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(15, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
            assertThat(server.exitValue())
                    .as("exit code after SIGTERM\n%s", read(log))
                    .isZero();
            assertThat(read(log)).contains("stopped");
            List<String> callLines = read(log)
                    .lines()
                    .filter(l -> l.contains("SipServer: INVITE")
                            || l.contains("SipServer: answered")
                            || l.contains("SipServer: ended"))
                    .toList();
            assertThat(callLines).hasSize(30).allMatch(l -> l.matches(".* \\[[0-9a-f]{12}\\] SipServer: .*"));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void badFlagsAreRefusedWithTheFlagNamed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = softswitch(log, "serve", "--rtp-ports", "20000");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(read(log)).contains("--rtp-ports '20000': give LOW-HIGH");

        Process wildcard = softswitch(log, "serve", "--bind", "0.0.0.0");
        assertThat(wildcard.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(wildcard.exitValue()).isEqualTo(2);
        assertThat(read(log)).contains("--advertise");
    }

    @Test
    void aTakenSipPortIsReportedNotIgnored(@TempDir Path dir) throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Path log = dir.resolve("out.log");
            Process p = softswitch(
                    log,
                    "serve",
                    "--sip-port",
                    "" + taken.getLocalPort(),
                    "--http-port",
                    "0",
                    "--call-records",
                    dir.resolve("calls.jsonl").toString());
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(read(log)).contains("SIP could not listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void versionNamesTheJava(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = softswitch(log, "version");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(read(log)).contains("softswitch 0.1.0").contains("Java ");
    }

    @Test
    void sigtermDrainsCallsInProgressGoOnAndNewOnesGet503(@TempDir Path dir) throws Exception {
        int sip = FreePorts.udpAndTcp();
        int rtp = FreePorts.rtpRangeStart();
        int http = FreePorts.udpAndTcp();
        Path log = dir.resolve("softswitch.log");
        Process server = softswitch(
                log,
                "serve",
                "--sip-port",
                "" + sip,
                "--http-port",
                "" + http,
                "--rtp-ports",
                rtp + "-" + (rtp + 399),
                "--call-records",
                dir.resolve("calls.jsonl").toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> read(log).contains("softswitch ready"));
        Path first = java.nio.file.Files.createDirectories(dir.resolve("first"));
        Process call =
                Sipp.start(first, sip, Duration.ofSeconds(30), "-sn", "uac", "-s", "echo", "-m", "1", "-d", "4000");
        await().atMost(Duration.ofSeconds(10)).until(() -> read(log).contains("SipServer: connected"));

        server.destroy(); // SIGTERM: drain
        await().atMost(Duration.ofSeconds(5)).until(() -> read(log).contains("draining"));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> ready = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode())
                .as("the balancer is told to send no more")
                .isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"draining\"").contains("\"activeCalls\":1");
        HttpResponse<String> live = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/live"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).as("but the process is alive").isEqualTo(200);
        Path second = java.nio.file.Files.createDirectories(dir.resolve("second"));
        Path refused = Sipp.scenario(
                second, "expect-final", java.util.Map.of("pt", "0", "codec", "PCMU/8000", "status", "503"));
        Sipp.Result late =
                Sipp.run(second, sip, Duration.ofSeconds(10), "-sf", refused.toString(), "-s", "echo", "-m", "1");
        assertThat(late.exitCode())
                .as("a new call while draining gets 503\n%s", late.output())
                .isZero();

        assertThat(call.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(call.exitValue())
                .as("the call in progress ended normally (the caller's BYE)\n%s", read(first.resolve("sipp.out")))
                .isZero();
        assertThat(server.waitFor(15, TimeUnit.SECONDS))
                .as("exits once the last call ended")
                .isTrue();
        assertThat(server.exitValue()).as(read(log)).isZero();
        assertThat(read(log)).doesNotContain("drain limit reached");
    }

    @Test
    void aSecondSigtermEndsTheCallsAtOnce(@TempDir Path dir) throws Exception {
        int sip = FreePorts.udpAndTcp();
        int rtp = FreePorts.rtpRangeStart();
        Path log = dir.resolve("softswitch.log");
        Process server = softswitch(
                log,
                "serve",
                "--sip-port",
                "" + sip,
                "--http-port",
                "0",
                "--rtp-ports",
                rtp + "-" + (rtp + 399),
                "--call-records",
                dir.resolve("calls.jsonl").toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> read(log).contains("softswitch ready"));
        Path scenario = Sipp.scenario(dir, "server-hangup", java.util.Map.of());
        Process call =
                Sipp.start(dir, sip, Duration.ofSeconds(30), "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> read(log).contains("SipServer: connected"));

        server.destroy();
        await().atMost(Duration.ofSeconds(5)).until(() -> read(log).contains("draining"));
        long second = System.nanoTime();
        server.destroy(); // the second SIGTERM
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(8));
        assertThat(server.exitValue()).as(read(log)).isZero();
        assertThat(call.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(call.exitValue())
                .as("our BYE reached the caller\n%s", read(dir.resolve("sipp.out")))
                .isZero();
    }

    private static Process softswitch(Path log, String... args) throws IOException {
        return PackagedJar.start(log, args);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
