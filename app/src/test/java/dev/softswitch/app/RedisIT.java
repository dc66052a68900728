package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.testredis.RedisServerProcess;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.WavAudio;
import dev.softswitch.config.RedisConfig;
import dev.softswitch.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A softswitch whose RTP ports live in a Redis the test runs itself ({@code --redis}), which it stops in the middle of
 * a call and starts again: the call in progress keeps its audio and ends normally, a new call is refused at once with
 * 503 saying why, {@code /metrics} follows Redis down and up, and calls are taken again once Redis is back.
 */
class RedisIT {

    private static final Duration SIPP_LIMIT = Duration.ofSeconds(20);
    /** The long call: baresip sends 1000 Hz to the echo assistant for this long and records what comes back. */
    private static final int CALL_SECONDS = 8;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCallOutlivesRedisNewCallsGet503WhileItIsDownAndAreTakenAgainOnceItIsBack(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                Softswitch softswitch = start(dir, redis)) {
            int sip = softswitch.sip().port();
            String metrics = "http://127.0.0.1:" + softswitch.http().port() + "/metrics";
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);

            // A call is up: baresip talks to the echo assistant.
            CompletableFuture<Baresip.Call> talking = Baresip.dialAsync(
                    Files.createDirectories(dir.resolve("long-call")),
                    "sip:echo@127.0.0.1:" + sip,
                    "PCMU",
                    1000,
                    CALL_SECONDS);
            Path baresipOut = dir.resolve("long-call").resolve("baresip.out");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(baresipOut)
                            && Files.readString(baresipOut).contains("Call established"));
            long callUp = System.nanoTime();

            // Redis goes away.
            redis.stop();
            long redisDown = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(metrics, "softswitch_redis_up") == 0);

            // A new call is refused at once with 503, a Retry-After and the reason.
            Path refusedDir = Files.createDirectories(dir.resolve("refused"));
            Path scenario = Sipp.scenario(refusedDir, "expect-503", Map.of("warning", "Redis unreachable"));
            long before = System.nanoTime();
            Sipp.Result refused =
                    Sipp.run(refusedDir, sip, SIPP_LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            assertThat(refused.exitCode())
                    .as("503 with Retry-After and a Warning naming Redis\n%s", refused.output())
                    .isZero();
            assertThat(took).as("SIPp's whole run, start-up included").isLessThan(Duration.ofSeconds(5));
            CallRecordsFile records = new CallRecordsFile(dir.resolve("calls.jsonl"));
            JsonNode refusal = records.awaitNext("echo", 0, Duration.ofSeconds(5));
            assertThat(refusal.path("sip_status").asInt()).isEqualTo(503);
            assertThat(refusal.path("reason").asText()).isEqualTo("media_unavailable");
            assertThat(refusal.path("detail").asText()).contains("Redis unreachable");
            assertThat(Duration.between(
                            Instant.parse(refusal.path("started").asText()),
                            Instant.parse(refusal.path("ended").asText())))
                    .as("refused without waiting for Redis")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(softswitch.sip().activeCalls())
                    .as("the call in progress")
                    .isEqualTo(1);

            // The call in progress went on: it ends with baresip's BYE answered, its audio echoed to the end.
            Baresip.Call call = talking.get(CALL_SECONDS + 30L, TimeUnit.SECONDS);
            assertThat(call.output()).contains("Call established");
            assertThat(Duration.ofNanos(redisDown - callUp))
                    .as("Redis went down early in the call")
                    .isLessThan(Duration.ofSeconds(3));
            assertEchoedAtTheEnd(call, 1000);
            JsonNode talked = records.awaitNext("echo", 1, Duration.ofSeconds(10));
            assertThat(talked.path("reason").asText()).isEqualTo("completed");
            assertThat(talked.path("ended_by").asText())
                    .as("ended by the caller's BYE")
                    .isEqualTo("caller");
            assertThat(talked.path("rtp").path("packets_received").asLong())
                    .as("packets from the caller, most after the outage")
                    .isGreaterThan(CALL_SECONDS * 50L * 3 / 4);
            assertThat(talked.path("rtp").path("packets_sent").asLong())
                    .as("packets to the caller")
                    .isGreaterThan(CALL_SECONDS * 50L * 3 / 4);
            assertThat(softswitch.media().pool().leased())
                    .as("its port, released here though Redis could not be told")
                    .isZero();
            assertThat(gauge(metrics, "softswitch_redis_errors_total")).isGreaterThanOrEqualTo(2);

            // Redis comes back: the softswitch reconnects by itself and takes calls again.
            redis.startAgain();
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);
            Path againDir = Files.createDirectories(dir.resolve("again"));
            Path call2 = Sipp.scenario(againDir, "call", Map.of("to", "echo"));
            Sipp.Result again = Sipp.run(againDir, sip, SIPP_LIMIT, "-sf", call2.toString(), "-s", "echo", "-m", "1");
            assertThat(again.exitCode())
                    .as("a call after Redis came back\n%s", again.output())
                    .isZero();
            JsonNode after = records.awaitNext("echo", 2, Duration.ofSeconds(10));
            assertThat(after.path("reason").asText()).isEqualTo("completed");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void startedWhileRedisIsDownItAnswers503UntilRedisComesUpAndNeverLogsThePassword(@TempDir Path dir)
            throws Exception {
        String password = "pw-" + UUID.randomUUID();
        try (RedisServerProcess redis = RedisServerProcess.start(password)) {
            redis.stop(); // down before the softswitch starts
            int sip = FreePorts.udpAndTcp();
            int httpPort = FreePorts.udpAndTcp();
            int rtp = FreePorts.rtpRangeStart();
            Path log = dir.resolve("softswitch.log");
            Process server = softswitch(
                    log,
                    "serve",
                    "--sip-port",
                    "" + sip,
                    "--http-port",
                    "" + httpPort,
                    "--rtp-ports",
                    rtp + "-" + (rtp + 399),
                    "--call-records",
                    dir.resolve("calls.jsonl").toString(),
                    "--redis",
                    redis.url());
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> read(log).contains("softswitch ready"));
                assertThat(read(log)).contains("Redis at 127.0.0.1:" + redis.port() + " does not answer");
                String metrics = "http://127.0.0.1:" + httpPort + "/metrics";
                assertThat(gauge(metrics, "softswitch_redis_up")).isZero();

                Path refusedDir = Files.createDirectories(dir.resolve("refused"));
                Path scenario = Sipp.scenario(refusedDir, "expect-503", Map.of("warning", "Redis"));
                Sipp.Result refused =
                        Sipp.run(refusedDir, sip, SIPP_LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
                assertThat(refused.exitCode())
                        .as("503 while Redis has never answered\n%s", refused.output())
                        .isZero();

                redis.startAgain();
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);
                Path againDir = Files.createDirectories(dir.resolve("again"));
                Path call = Sipp.scenario(againDir, "call", Map.of("to", "echo"));
                Sipp.Result again =
                        Sipp.run(againDir, sip, SIPP_LIMIT, "-sf", call.toString(), "-s", "echo", "-m", "1");
                assertThat(again.exitCode())
                        .as("a call once Redis answers\n%s", again.output())
                        .isZero();

                server.destroy(); // SIGTERM
                assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(read(log)).isZero();
                assertThat(read(log))
                        .contains("connected to Redis at 127.0.0.1:" + redis.port())
                        .doesNotContain(password);
                assertThat(read(refusedDir.resolve("sipp.out")) + read(dir.resolve("calls.jsonl")))
                        .doesNotContain(password);
            } finally {
                server.destroyForcibly();
            }
        }
    }

    private static Process softswitch(Path log, String... args) throws IOException {
        return PackagedJar.start(log, args);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static Softswitch start(Path dir, RedisServerProcess redis) throws StartupException {
        int rtp = FreePorts.rtpRangeStart();
        RedisConfig shared = new RedisConfig(
                Secret.of(redis.url(), "--redis"),
                "it:" + UUID.randomUUID() + ":",
                RedisConfig.DEFAULT_TIMEOUT,
                RedisConfig.DEFAULT_LEASE_TTL);
        return Softswitch.start(new ServeSettings(
                        "127.0.0.1",
                        "127.0.0.1",
                        FreePorts.udpAndTcp(),
                        rtp,
                        rtp + 399,
                        FreePorts.udpAndTcp(),
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        dir.resolve("calls.jsonl"),
                        dir.resolve("recordings"))
                .withRedis(shared));
    }

    /** One second of what the caller heard, ending half a second before the end: its own tone, echoed. */
    private static void assertEchoedAtTheEnd(Baresip.Call call, double hz) {
        WavAudio heard = call.heard();
        int rate = heard.sampleRate();
        assertThat(heard.frames())
                .as("baresip heard %d samples; its output:\n%s", heard.frames(), call.output())
                .isGreaterThan((CALL_SECONDS - 2) * rate);
        short[] mono = heard.channel(0);
        int from = mono.length - rate - rate / 2;
        assertThat(Goertzel.relativePower(mono, from, rate, hz, rate))
                .as("share of the last second's energy at %.0f Hz (the echo, after Redis went away)", hz)
                .isGreaterThan(0.8);
    }

    /** The value of an unlabelled meter in {@code /metrics}. */
    private double gauge(String metrics, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(metrics))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(response.body());
        if (!m.find()) {
            throw new AssertionError(name + " is not in /metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
