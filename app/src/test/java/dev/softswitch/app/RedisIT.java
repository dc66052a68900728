package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.twilio.TwilioSignature;
import dev.softswitch.bridge.testredis.RedisServerProcess;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.WavAudio;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.RedisConfig;
import dev.softswitch.config.Secret;
import dev.softswitch.config.SecretResolver;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * 503 saying why, {@code /metrics} follows Redis down and up, and calls are taken again once Redis is back. Then the
 * harder fault: Redis frozen (SIGSTOP), keeping its connections and answering nothing, so that every command can only
 * end by its timeout.
 */
class RedisIT {

    private static final Duration SIPP_LIMIT = Duration.ofSeconds(20);
    /** The long call: baresip sends 1000 Hz to the echo assistant for this long and records what comes back. */
    private static final int CALL_SECONDS = 8;

    /** The frozen test's {@code redis.timeout}: short, so that the test is quick, long enough to see who waits. */
    private static final Duration FROZEN_TIMEOUT = Duration.ofSeconds(2);
    /** The frozen test's {@code redis.lease_ttl}: more than three times the timeout, as the configuration requires. */
    private static final Duration FROZEN_LEASE_TTL = Duration.ofSeconds(8);
    /** The frozen test's long call: long enough to outlast what the test does while Redis is frozen. */
    private static final int FROZEN_CALL_SECONDS = 16;

    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH = "it-twilio-auth-token";

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
            CompletableFuture<Baresip.Call> talking = echoCallUp(dir, sip, CALL_SECONDS);
            long callUp = System.nanoTime();

            // Redis goes away.
            redis.stop();
            long redisDown = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(metrics, "softswitch_redis_up") == 0);

            // A new call is refused at once with 503, a Retry-After and the reason.
            long before = System.nanoTime();
            expect503(dir, sip, "Redis unreachable", "503 with Retry-After and a Warning naming Redis");
            Duration took = Duration.ofNanos(System.nanoTime() - before);
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
            assertEchoedAtTheEnd(call, 1000, CALL_SECONDS);
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
            expectCall(dir, sip, "a call after Redis came back");
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

                expect503(dir, sip, "Redis", "503 while Redis has never answered");

                redis.startAgain();
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);
                expectCall(dir, sip, "a call once Redis answers");

                server.destroy(); // SIGTERM
                assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(read(log)).isZero();
                assertThat(read(log))
                        .contains("connected to Redis at 127.0.0.1:" + redis.port())
                        .doesNotContain(password);
                assertThat(read(dir.resolve("refused").resolve("sipp.out")) + read(dir.resolve("calls.jsonl")))
                        .doesNotContain(password);
            } finally {
                server.destroyForcibly();
            }
        }
    }

    /**
     * Redis frozen mid-call (SIGSTOP: it keeps its connections and the kernel still accepts new ones, but nothing is
     * answered). The call in progress keeps its media and ends cleanly, its port released here though the release
     * times out; a new INVITE gets 503 with Retry-After and a Warning naming Redis once the lease times out; a Twilio
     * voice webhook gets 503 with Retry-After once the context's store times out, while {@code /health} on the same HTTP
     * server answers meanwhile; {@code softswitch_redis_up} goes to 0 (a PING goes unanswered) and the errors are
     * counted. After the thaw, the leases that the timed-out commands left in Redis expire, the same webhook is
     * answered, and calls are taken again.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFrozenRedisCostsNewCallsATimeoutAnd503ButHoldsNoThreadAndCallsAreTakenAgainOnceItThaws(@TempDir Path dir)
            throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                RedisClient client = RedisClient.create(redis.url());
                StatefulRedisConnection<String, String> inspect = client.connect()) {
            String prefix = "it:" + UUID.randomUUID() + ":";
            int rtp = FreePorts.rtpRangeStart();
            int httpPort = FreePorts.udpAndTcp();
            String base = "http://127.0.0.1:" + httpPort;
            try (Softswitch softswitch = Softswitch.start(
                    new ServeSettings(
                                    "127.0.0.1",
                                    "127.0.0.1",
                                    FreePorts.udpAndTcp(),
                                    rtp,
                                    rtp + 399,
                                    httpPort,
                                    Duration.ZERO,
                                    Duration.ofSeconds(30),
                                    dir.resolve("calls.jsonl"),
                                    dir.resolve("recordings"))
                            .withRedis(new RedisConfig(
                                    Secret.of(redis.url(), "--redis"), prefix, FROZEN_TIMEOUT, FROZEN_LEASE_TTL)),
                    twilioConfig(dir, base))) {
                int sip = softswitch.sip().port();
                String metrics = base + "/metrics";
                String leases = prefix + "rtp:{127.0.0.1:" + rtp + "-" + (rtp + 399) + "}:leases";
                await().atMost(Duration.ofSeconds(5)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);

                // A call is up: baresip talks to the echo assistant; its port is leased in Redis.
                CompletableFuture<Baresip.Call> talking = echoCallUp(dir, sip, FROZEN_CALL_SECONDS);
                assertThat(inspect.sync().zcard(leases)).as("the call's lease").isEqualTo(1);

                // Redis freezes: the connection stays up, so only an unanswered PING can tell.
                redis.freeze();
                try {
                    await().atMost(FROZEN_TIMEOUT.plusSeconds(5))
                            .until(() -> gauge(metrics, "softswitch_redis_up") == 0);

                    // A new INVITE waits for its lease for the timeout at most, then gets 503 saying why.
                    expect503(dir, sip, "Redis unreachable", "503 with Retry-After and a Warning naming Redis");
                    CallRecordsFile records = new CallRecordsFile(dir.resolve("calls.jsonl"));
                    JsonNode refusal = records.awaitNext("echo", 0, Duration.ofSeconds(5));
                    assertThat(refusal.path("sip_status").asInt()).isEqualTo(503);
                    assertThat(refusal.path("reason").asText()).isEqualTo("media_unavailable");
                    assertThat(refusal.path("detail").asText()).contains("Redis unreachable");
                    assertThat(Duration.between(
                                    Instant.parse(refusal.path("started").asText()),
                                    Instant.parse(refusal.path("ended").asText())))
                            .as("refused once the lease timed out (%s), not later", FROZEN_TIMEOUT)
                            .isLessThan(FROZEN_TIMEOUT.plusSeconds(3));

                    // A Twilio voice webhook: the context's store waits off the event loop, so /health answers
                    // meanwhile; then 503 with Retry-After.
                    Map<String, List<String>> voice = voice("CA0FROZENREDIS");
                    long sent = System.nanoTime();
                    // On a thread of its own: sendAsync completes its future on the common pool, which baresip's
                    // dial holds for the whole call.
                    CompletableFuture<HttpResponse<String>> webhook = new CompletableFuture<>();
                    Thread.ofVirtual().name("twilio-webhook").start(() -> {
                        try {
                            webhook.complete(
                                    http.send(webhookRequest(base, voice), HttpResponse.BodyHandlers.ofString()));
                        } catch (IOException | RuntimeException e) {
                            webhook.completeExceptionally(e);
                        } catch (InterruptedException e) {
                            webhook.completeExceptionally(e);
                            Thread.currentThread().interrupt();
                        }
                    });
                    // A head start for the webhook (a fraction of the timeout), so that it is being answered when
                    // /health comes: a single event loop held by it would answer /health only after it.
                    await().pollDelay(Duration.ofMillis(300))
                            .atMost(Duration.ofSeconds(1))
                            .until(() -> true);
                    HttpResponse<String> health = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/health"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isEqualTo(200);
                    assertThat(health.body()).contains("\"activeCalls\":1");
                    assertThat(webhook)
                            .as("/health answered while the webhook still waited for Redis")
                            .isNotDone();
                    HttpResponse<String> unavailable = webhook.get(FROZEN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                    Duration webhookTook = Duration.ofNanos(System.nanoTime() - sent);
                    assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
                    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("5");
                    assertThat(unavailable.body()).contains("Redis unreachable");
                    assertThat(webhookTook)
                            .as("answered once the store timed out (%s), not later", FROZEN_TIMEOUT)
                            .isLessThan(FROZEN_TIMEOUT.plusSeconds(3));

                    // The call in progress went on: it ends with baresip's BYE answered, its audio echoed to the
                    // end, and its port is released here though the release times out in Redis.
                    Baresip.Call call = talking.get(FROZEN_CALL_SECONDS + 30L, TimeUnit.SECONDS);
                    assertThat(call.output()).contains("Call established");
                    assertEchoedAtTheEnd(call, 1000, FROZEN_CALL_SECONDS);
                    JsonNode talked = records.awaitNext("echo", 1, Duration.ofSeconds(10));
                    assertThat(talked.path("reason").asText()).isEqualTo("completed");
                    assertThat(talked.path("ended_by").asText())
                            .as("ended by the caller's BYE")
                            .isEqualTo("caller");
                    assertThat(talked.path("rtp").path("packets_received").asLong())
                            .isGreaterThan(FROZEN_CALL_SECONDS * 50L * 3 / 4);
                    assertThat(talked.path("rtp").path("packets_sent").asLong())
                            .isGreaterThan(FROZEN_CALL_SECONDS * 50L * 3 / 4);
                    assertThat(softswitch.media().pool().leased())
                            .as("its port, released here though Redis could not be told")
                            .isZero();
                    assertThat(softswitch.sip().activeCalls()).isZero();
                    assertThat(gauge(metrics, "softswitch_redis_up"))
                            .as("still frozen")
                            .isZero();
                    // The INVITE's lease, the webhook's store, the call's release (once it times out), a PING.
                    await().atMost(FROZEN_TIMEOUT.plusSeconds(5))
                            .until(() -> gauge(metrics, "softswitch_redis_errors_total") >= 4);
                } finally {
                    redis.thaw();
                }

                // Thawed: Redis runs what it was sent meanwhile. The release gets through late; the lease that the
                // refused INVITE's timed-out command took is nobody's, and expires.
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge(metrics, "softswitch_redis_up") == 1);
                await().atMost(FROZEN_LEASE_TTL.plusSeconds(10)).until(() -> inspect.sync()
                        .zrangebyscore(leases, Range.create((double) System.currentTimeMillis(), Double.MAX_VALUE))
                        .isEmpty());

                // The same webhook again (a provider retrying after the 503) is answered now.
                HttpResponse<String> answered =
                        http.send(webhookRequest(base, voice("CA0FROZENREDIS")), HttpResponse.BodyHandlers.ofString());
                assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
                assertThat(answered.body()).contains("<Parameter name=\"token\"");

                // And calls are taken again.
                expectCall(dir, sip, "a call after Redis thawed");
                CallRecordsFile records = new CallRecordsFile(dir.resolve("calls.jsonl"));
                JsonNode after = records.awaitNext("echo", 2, Duration.ofSeconds(10));
                assertThat(after.path("reason").asText()).isEqualTo("completed");
                await().atMost(Duration.ofSeconds(5))
                        .alias("every lease released or expired and taken back")
                        .until(() -> inspect.sync().zcard(leases) == 0);
            }
        }
    }

    /**
     * SIP from 127.0.0.1 admitted as a trunk's, to the echo assistant; Twilio, answering +15551230000 with it too. No
     * Redis section: the settings carry it.
     */
    private static LoadedConfig twilioConfig(Path dir, String base) throws Exception {
        Path token = Files.writeString(dir.resolve("twilio-auth-token"), AUTH);
        Path file = Files.writeString(dir.resolve("softswitch.yaml"), """
                assistants:
                  - { id: echo, kind: echo }
                trunks:
                  - { name: local, networks: [127.0.0.1/32], routes: { default: echo } }
                providers:
                  public_url: %s
                  twilio:
                    account_sid: %s
                    auth_token: ${file:%s}
                    caller_id: "+14155550199"
                    routes: { "+15551230000": echo }
                """.formatted(base, SID, token));
        return ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of()));
    }

    private static Map<String, List<String>> voice(String callSid) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of(callSid));
        params.put("AccountSid", List.of(SID));
        params.put("From", List.of("+14155550100"));
        params.put("To", List.of("+15551230000"));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    /** Twilio's voice webhook, signed as Twilio signs it. */
    private static HttpRequest webhookRequest(String base, Map<String, List<String>> params) {
        String path = "/providers/twilio/incoming";
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignature.compute(AUTH, base + path, params))
                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(pairs)))
                .build();
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

    /** One SIPp call that must get 503 with Retry-After and a Warning containing {@code warning}. */
    private static void expect503(Path dir, int sip, String warning, String why) throws Exception {
        Path refusedDir = Files.createDirectories(dir.resolve("refused"));
        Path scenario = Sipp.scenario(refusedDir, "expect-503", Map.of("warning", warning));
        Sipp.Result refused =
                Sipp.run(refusedDir, sip, SIPP_LIMIT, "-sf", scenario.toString(), "-s", "echo", "-m", "1");
        assertThat(refused.exitCode()).as("%s\n%s", why, refused.output()).isZero();
    }

    /** One SIPp call to the echo assistant that must be answered and hung up. */
    private static void expectCall(Path dir, int sip, String why) throws Exception {
        Path againDir = Files.createDirectories(dir.resolve("again"));
        Path call = Sipp.scenario(againDir, "call", Map.of("to", "echo"));
        Sipp.Result again = Sipp.run(againDir, sip, SIPP_LIMIT, "-sf", call.toString(), "-s", "echo", "-m", "1");
        assertThat(again.exitCode()).as("%s\n%s", why, again.output()).isZero();
    }

    /** Baresip calls the echo assistant with 1000 Hz for {@code seconds}; returns once the call is established. */
    private static CompletableFuture<Baresip.Call> echoCallUp(Path dir, int sip, int seconds) throws Exception {
        CompletableFuture<Baresip.Call> talking = Baresip.dialAsync(
                Files.createDirectories(dir.resolve("long-call")), "sip:echo@127.0.0.1:" + sip, "PCMU", 1000, seconds);
        Path baresipOut = dir.resolve("long-call").resolve("baresip.out");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        Files.exists(baresipOut) && Files.readString(baresipOut).contains("Call established"));
        return talking;
    }

    /** One second of what the caller heard, ending half a second before the end: its own tone, echoed. */
    private static void assertEchoedAtTheEnd(Baresip.Call call, double hz, int seconds) {
        WavAudio heard = call.heard();
        int rate = heard.sampleRate();
        assertThat(heard.frames())
                .as("baresip heard %d samples; its output:\n%s", heard.frames(), call.output())
                .isGreaterThan((seconds - 2) * rate);
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
