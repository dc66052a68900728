package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.codecs.ToneGenerator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged softswitch, sharing state through the real Redis (a key prefix of its own), killed with {@code kill -9}
 * in the middle of everything and started again on the same ports: two SIPp calls talking, a call placed through
 * Twilio with {@code POST /v1/calls} whose context waits in Redis, a phone registered at its registrar, its trunk
 * registered at a carrier (SIPp as registrar). What must hold after the restart:
 *
 * <ul>
 *   <li>it binds the same SIP and HTTP ports and serves at once, with no call, no port and no ghost of the dead one;
 *   <li>the dead instance's RTP port leases stay in Redis until their {@code lease_ttl} runs out, no port is leased
 *       twice meanwhile, and then they come back to the pool;
 *   <li>the call context is still claimable, exactly once, by the media socket that reaches the new instance;
 *   <li>the trunk registers again at start; the registrar's bindings, kept in memory, are gone until the phone
 *       registers again;
 *   <li>the SIPp calls cut off by the crash get {@code 481} for their {@code BYE}, not silence.
 * </ul>
 */
class CrashRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration LEASE_TTL = Duration.ofSeconds(30);
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final Pattern TOKEN = Pattern.compile("<Parameter name=\"token\" value=\"([A-Za-z0-9_-]+)\"/>");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String prefix = "crash-it:" + UUID.randomUUID() + ":";
    private final String apiKey = "api-" + UUID.randomUUID();
    private final String echoKey = "echo-" + UUID.randomUUID();
    private final String phonePassword = "phone-" + UUID.randomUUID();
    private final String twilioToken = "twilio-" + UUID.randomUUID();

    private String base;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killedWithSigkillAndStartedAgainItComesBackCleanAndLeavesNoGhosts(@TempDir Path dir) throws Exception {
        int sip = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int rtp = FreePorts.rtpRangeStart();
        int carrierPort = FreePorts.udpAndTcp();
        base = "http://127.0.0.1:" + httpPort;
        // The two instances' logs stay under target/ for a look after a failure.
        Path logs = Files.createDirectories(Path.of("target", "it-data", "crash-restart"));
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (FakeProviderApi api = new FakeProviderApi();
                StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            Path config = dir.resolve("softswitch.yaml");
            Files.writeString(config, """
                    listen: { bind: 127.0.0.1, sip_port: %d, http_port: %d }
                    rtp: { ports: %d-%d }
                    redis: { url: "redis://127.0.0.1:6379", key_prefix: "%s", lease_ttl: %ds }
                    assistants:
                      - { id: echo, kind: echo, api_keys: ["${env:ECHO_KEY}"] }
                    pbx_users:
                      - { username: acme, password: "${env:PHONE_PASSWORD}", assistant: echo }
                    api:
                      keys: [{ name: it, key: "${env:API_KEY}" }]
                    providers:
                      public_url: %s
                      twilio:
                        account_sid: %s
                        auth_token: ${env:TWILIO_AUTH_TOKEN}
                        caller_id: "+14155550199"
                        routes: { default: echo }
                        api_base_url: %s
                    trunks:
                      - name: carrier
                        outbound:
                          host: 127.0.0.1
                          port: %d
                          username: trunkuser
                          password: ${env:PHONE_PASSWORD}
                          register: true
                          register_expires: 60s
                    records: { calls: %s, recordings: %s }
                    """.formatted(
                            sip,
                            httpPort,
                            rtp,
                            rtp + 399,
                            prefix,
                            LEASE_TTL.toSeconds(),
                            base,
                            SID,
                            api.baseUrl(),
                            carrierPort,
                            dir.resolve("calls.jsonl"),
                            dir.resolve("recordings")));
            Map<String, String> env = Map.of(
                    "ECHO_KEY", echoKey,
                    "PHONE_PASSWORD", phonePassword,
                    "API_KEY", apiKey,
                    "TWILIO_AUTH_TOKEN", twilioToken);
            CallRecordsFile records = new CallRecordsFile(dir.resolve("calls.jsonl"));

            // The carrier's registrar takes two registrations: the first instance's and the restarted one's.
            Path carrierDir = Files.createDirectories(dir.resolve("carrier"));
            Process carrier = Sipp.serve(
                    carrierDir,
                    carrierPort,
                    Duration.ofSeconds(180),
                    "-sf",
                    Sipp.scenario(carrierDir, "uas-register-ok", Map.of()).toString(),
                    "-m",
                    "2");
            Process first = null;
            Process second = null;
            Process talkers = null;
            try {
                Path log1 = logs.resolve("first.log");
                first = PackagedJar.start(log1, List.of(), env, "serve", "--config", config.toString());
                Process started = first;
                await().atMost(LIMIT)
                        .until(() -> !started.isAlive() || read(log1).contains("softswitch ready"));
                assertThat(first.isAlive()).as(read(log1)).isTrue();
                await().atMost(LIMIT)
                        .until(() -> metrics().contains("softswitch_trunk_registered{trunk=\"carrier\"} 1.0"));

                // A phone registers at the registrar, and stays registered.
                Path phoneDir = Files.createDirectories(dir.resolve("phone"));
                assertThat(register(phoneDir, sip, true, "check_it"))
                        .as("the phone's binding, listed in the 200")
                        .isZero();

                // A call is placed through Twilio: its context waits in Redis for the media socket.
                api.answer(201, "{\"sid\":\"CA00000000000000000000000000000077\",\"status\":\"queued\"}");
                HttpResponse<String> placed =
                        post("{\"provider\":\"twilio\",\"to\":\"+14155550100\",\"assistant\":\"echo\"}");
                assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
                String placedId = JSON.readTree(placed.body()).path("id").asText();
                String twiml = Forms.parse(api.next(LIMIT).body()).get("Twiml").get(0);
                Matcher token = TOKEN.matcher(twiml);
                assertThat(token.find()).as(twiml).isTrue();
                assertThat(redis.keys(prefix + "context:*"))
                        .as("the call context, in Redis")
                        .hasSize(1);

                // Two callers talk to the echo; they will hang up 15 s in, after the crash and the restart.
                Path talkersDir = Files.createDirectories(dir.resolve("talkers"));
                talkers = Sipp.start(
                        talkersDir,
                        sip,
                        Duration.ofSeconds(90),
                        "-sf",
                        Sipp.scenario(
                                        talkersDir,
                                        "stream-call",
                                        Map.of(
                                                "audio",
                                                Sipp.alawTone(talkersDir, 1000).toString(),
                                                "ending",
                                                Sipp.byeAfter(15_000, "481", 30_000)))
                                .toString(),
                        "-s",
                        "echo:" + echoKey,
                        "-m",
                        "2",
                        "-l",
                        "2",
                        "-r",
                        "2");
                await().atMost(LIMIT).until(() -> gauge("softswitch_calls_active") == 2);
                Map<String, String> ghosts = owners(redis);
                assertThat(ghosts)
                        .as("the two calls' RTP ports, leased in Redis")
                        .hasSize(2);

                // kill -9: Process.destroyForcibly is SIGKILL on Linux.
                first.destroyForcibly();
                assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(first.exitValue()).as("killed by signal 9").isEqualTo(128 + 9);
                assertThat(read(log1)).doesNotContain("stopping");

                // Started again on the same ports: it binds them at once and serves.
                Path log2 = logs.resolve("second.log");
                second = PackagedJar.start(log2, List.of(), env, "serve", "--config", config.toString());
                Process restarted = second;
                await().atMost(LIMIT)
                        .until(() -> !restarted.isAlive() || read(log2).contains("softswitch ready"));
                assertThat(second.isAlive()).as(read(log2)).isTrue();
                assertThat(read(log2)).contains("SIP listening on 127.0.0.1:" + sip);
                assertThat(health()).isEqualTo("{\"status\":\"up\",\"activeCalls\":0}");
                assertThat(gauge("softswitch_rtp_ports_leased")).isZero();
                // A call on the new instance while the dead one's leases last: it gets another port.
                Path newDir = Files.createDirectories(dir.resolve("new-call"));
                Process newCall = Sipp.start(
                        newDir,
                        sip,
                        Duration.ofSeconds(30),
                        "-sf",
                        Sipp.scenario(
                                        newDir,
                                        "stream-call",
                                        Map.of(
                                                "audio",
                                                Sipp.alawTone(newDir, 1000).toString(),
                                                "ending",
                                                Sipp.byeAfter(2_000, "200", 30_000)))
                                .toString(),
                        "-s",
                        "echo:" + echoKey,
                        "-m",
                        "1");
                await().atMost(LIMIT).until(() -> owners(redis).size() == 3);
                Map<String, String> during = owners(redis);
                assertThat(during).containsAllEntriesOf(ghosts);
                Set<String> fresh = new HashSet<>(during.keySet());
                fresh.removeAll(ghosts.keySet());
                assertThat(fresh).hasSize(1);
                assertThat(during.get(fresh.iterator().next()))
                        .as("leased by the new instance")
                        .isNotIn(ghosts.values());
                assertThat(newCall.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(newCall.exitValue())
                        .as(Files.readString(newDir.resolve("sipp.out")))
                        .isZero();

                await().atMost(LIMIT)
                        .until(() -> metrics().contains("softswitch_trunk_registered{trunk=\"carrier\"} 1.0"));
                Sipp.Result registrar = Sipp.result(carrier, carrierDir, LIMIT);
                assertThat(registrar.exitCode())
                        .as("the carrier saw a REGISTER from each start\n%s", registrar.output())
                        .isZero();

                // The registrar kept its bindings in memory: gone, until the phone registers again.
                assertThat(register(phoneDir, sip, false, "check_it_inverse"))
                        .as("no binding listed after the restart")
                        .isZero();
                assertThat(register(phoneDir, sip, true, "check_it"))
                        .as("the phone registers again")
                        .isZero();

                // The context is claimable by the media socket that reaches the new instance, once.
                assertThat(apiStatus(placedId))
                        .as("the API's view of its calls lived in the dead process")
                        .isEqualTo(404);
                String media = "ws://127.0.0.1:" + httpPort + "/providers/twilio/media";
                int before = records.of("echo").size();
                try (TwilioCaller twilio = new TwilioCaller(URI.create(media), null)) {
                    twilio.start(token.group(1));
                    ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
                    twilio.stream(25, i -> tone.next(160));
                    await().atMost(LIMIT).until(() -> HeardAudio.framesDominatedBy(twilio.heard(), 1000) >= 15);
                    twilio.stop();
                    assertThat(twilio.ended().get(5, TimeUnit.SECONDS)).isEqualTo("close 1000 stream stopped");
                }
                JsonNode claimed = await().atMost(LIMIT)
                        .until(
                                () -> records.of("echo").stream()
                                        .filter(r -> r.path("call_id").asText().equals(placedId))
                                        .findFirst()
                                        .orElse(null),
                                r -> r != null);
                assertThat(claimed.path("direction").asText()).isEqualTo("outbound");
                assertThat(claimed.path("trunk").asText()).isEqualTo("twilio");
                assertThat(redis.keys(prefix + "context:*"))
                        .as("claimed: gone from Redis")
                        .isEmpty();
                try (TwilioCaller again = new TwilioCaller(URI.create(media), null)) {
                    again.start(token.group(1));
                    assertThat(again.ended().get(5, TimeUnit.SECONDS))
                            .isEqualTo("close 1008 no call is waiting for this stream");
                }

                // SIPp's cut-off calls: their BYE reaches the new instance, which knows no such call: 481.
                assertThat(talkers.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(talkers.exitValue())
                        .as("both BYEs answered 481\n%s", Files.readString(talkersDir.resolve("sipp.out")))
                        .isZero();
                assertThat(health()).isEqualTo("{\"status\":\"up\",\"activeCalls\":0}");
                assertThat(gauge("softswitch_calls_active")).isZero();

                // Once the dead instance's leases run out, the next lease hands its ports back to the pool.
                long expiry = leaseExpiryMillis(redis, ghosts.keySet());
                await().atMost(LEASE_TTL.plusSeconds(15)).until(() -> serverMillis(redis) > expiry + 100);
                Path lastDir = Files.createDirectories(dir.resolve("last-call"));
                Sipp.Result last = Sipp.run(
                        lastDir,
                        sip,
                        Duration.ofSeconds(20),
                        "-sf",
                        Sipp.scenario(lastDir, "call", Map.of("to", "echo")).toString(),
                        "-s",
                        "echo:" + echoKey,
                        "-m",
                        "1");
                assertThat(last.exitCode()).as(last.output()).isZero();
                await().atMost(LIMIT).until(() -> owners(redis).isEmpty());
                String free = poolKey(redis, "free");
                for (String port : ghosts.keySet()) {
                    assertThat(redis.zscore(free, port))
                            .as("port %s is free again", port)
                            .isNotNull();
                }
                assertThat(gauge("softswitch_rtp_ports_leased")).isZero();
                assertThat(gauge("softswitch_calls_active")).isZero();
                assertThat(read(log2)).doesNotContain("ERROR");
            } finally {
                for (Process p : new Process[] {talkers, first, carrier}) {
                    if (p != null) {
                        p.destroyForcibly();
                    }
                }
                if (second != null) {
                    second.destroy(); // SIGTERM: a drain, then the trunk's un-REGISTER (unanswered: SIPp is gone)
                    if (!second.waitFor(20, TimeUnit.SECONDS)) {
                        second.destroyForcibly();
                    }
                }
                List<String> keys = redis.keys(prefix + "*");
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(String[]::new));
                }
            }
        } finally {
            client.shutdown();
        }
    }

    /** Registers phone {@code acme} (or only asks, {@code bind} false); SIPp's exit code. */
    private int register(Path dir, int sip, boolean bind, String listed) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(UUID.randomUUID().toString()));
        String contact = bind ? "Contact: <sip:acme@[local_ip]:[local_port]>\n      Expires: 600" : "User-Agent: sipp";
        Sipp.Result result = Sipp.run(
                runDir,
                sip,
                Duration.ofSeconds(15),
                "-sf",
                Sipp.scenario(runDir, "register-query", Map.of("contact", contact, "listed", listed))
                        .toString(),
                "-s",
                "acme",
                "-au",
                "acme",
                "-ap",
                phonePassword,
                "-m",
                "1");
        if (result.exitCode() != 0) {
            System.out.println(result.output());
        }
        return result.exitCode();
    }

    /** The RTP pool's lease owners in Redis: port to instance id. */
    private Map<String, String> owners(RedisCommands<String, String> redis) {
        List<String> keys = redis.keys(prefix + "rtp:*:owners");
        return keys.isEmpty() ? Map.of() : redis.hgetall(keys.get(0));
    }

    private String poolKey(RedisCommands<String, String> redis, String name) {
        List<String> keys = redis.keys(prefix + "rtp:*:" + name);
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    /** The latest expiry (Redis server time, ms) of the leases on {@code ports}. */
    private long leaseExpiryMillis(RedisCommands<String, String> redis, Set<String> ports) {
        String leases = poolKey(redis, "leases");
        long latest = 0;
        for (String port : ports) {
            Double score = redis.zscore(leases, port);
            assertThat(score).as("port %s still leased", port).isNotNull();
            latest = Math.max(latest, score.longValue());
        }
        return latest;
    }

    private static long serverMillis(RedisCommands<String, String> redis) {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/calls"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int apiStatus(String id) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/calls/" + id))
                                .timeout(Duration.ofSeconds(2))
                                .header("Authorization", "Bearer " + apiKey)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private String health() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .strip();
    }

    private String metrics() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of an unlabelled meter in {@code /metrics}. */
    private double gauge(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics());
        if (!m.find()) {
            throw new AssertionError(name + " is not in /metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
