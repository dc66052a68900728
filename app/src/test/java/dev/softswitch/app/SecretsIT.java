package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.twilio.TwilioSignature;
import dev.softswitch.bridge.testredis.RedisServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches a log line or a record (issue 9): the packaged softswitch, logging at DEBUG, runs calls with every
 * kind of secret it holds (a PBX user's digest password, an assistant's API key in the Request-URI, the HTTP API's
 * bearer key, a Twilio auth token that signs webhooks, the password in the Redis URL), right and wrong, then every line
 * it logged and every call record is searched for each secret.
 */
class SecretsIT {

    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);

    private final String alicePassword = "alice-" + UUID.randomUUID();
    private final String supportKey = "key-" + UUID.randomUUID();
    private final String apiKey = "api-" + UUID.randomUUID();
    private final String twilioToken = "twilio-" + UUID.randomUUID();
    private final String redisPassword = "redis-" + UUID.randomUUID();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noSecretIsLoggedOrRecordedWhateverTheCallsDo(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(redisPassword)) {
            int sip = FreePorts.udpAndTcp();
            int httpPort = FreePorts.udpAndTcp();
            int rtp = FreePorts.rtpRangeStart();
            String base = "http://127.0.0.1:" + httpPort;
            Path config = dir.resolve("softswitch.yaml");
            Files.writeString(config, """
                    listen: { bind: 127.0.0.1, sip_port: %d, http_port: %d }
                    rtp: { ports: %d-%d }
                    assistants:
                      - { id: support, kind: echo, api_keys: ["${env:SUPPORT_KEY}"] }
                    pbx_users:
                      - { username: alice, password: "${env:ALICE_PASSWORD}", assistant: support }
                    api:
                      keys: [{ name: ops, key: "${env:API_KEY}" }]
                    providers:
                      public_url: %s
                      twilio:
                        account_sid: AC0123456789abcdef0123456789abcdef
                        auth_token: ${env:TWILIO_AUTH_TOKEN}
                        routes: { default: support }
                    redis:
                      url: ${env:REDIS_URL}
                      key_prefix: "secrets-it:%s:"
                    records: { calls: %s, recordings: %s }
                    """.formatted(
                            sip,
                            httpPort,
                            rtp,
                            rtp + 399,
                            base,
                            UUID.randomUUID(),
                            dir.resolve("calls.jsonl"),
                            dir.resolve("recordings")));
            Path log = dir.resolve("softswitch.log");
            Process server = softswitch(
                    log,
                    Map.of(
                            "SUPPORT_KEY", supportKey,
                            "ALICE_PASSWORD", alicePassword,
                            "API_KEY", apiKey,
                            "TWILIO_AUTH_TOKEN", twilioToken,
                            "REDIS_URL", redis.url()),
                    "serve",
                    "--config",
                    config.toString());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> read(log).contains("softswitch ready"));

                // Digest: the right password, then a wrong one.
                assertThat(sipp(
                                        dir,
                                        "digest-ok",
                                        "digest-call",
                                        Map.of(),
                                        "alice",
                                        "-au",
                                        "alice",
                                        "-ap",
                                        alicePassword)
                                .exitCode())
                        .as("the digest-ok call is answered")
                        .isZero();
                sipp(dir, "digest-bad", "digest-call", Map.of(), "alice", "-au", "alice", "-ap", "not-it");
                // An API key in the Request-URI, right and wrong.
                assertThat(sipp(dir, "key-ok", "call", Map.of("to", "support:" + supportKey), "support:" + supportKey)
                                .exitCode())
                        .as("the key-ok call is answered")
                        .isZero();
                sipp(
                        dir,
                        "key-bad",
                        "call",
                        Map.of("to", "support:" + supportKey + "x"),
                        "support:" + supportKey + "x");
                // The HTTP API's bearer key, right and wrong.
                assertThat(get(base + "/v1/calls", apiKey)).isEqualTo(200);
                assertThat(get(base + "/v1/calls", apiKey + "x")).isEqualTo(401);
                // A Twilio webhook signed with the auth token, and one with a bad signature.
                Map<String, List<String>> voice = voice();
                String signed = TwilioSignature.compute(twilioToken, base + "/providers/twilio/incoming", voice);
                assertThat(twilioWebhook(base, voice, signed)).isEqualTo(200);
                assertThat(twilioWebhook(base, voice, "bm90LWl0")).isEqualTo(403);

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> read(dir.resolve("calls.jsonl")).lines().count() >= 2);
                server.destroy(); // SIGTERM: drain and stop
                assertThat(server.waitFor(40, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).as(read(log)).isZero();
            } finally {
                server.destroyForcibly();
            }

            String logged = read(log);
            assertThat(logged)
                    .as("ran at DEBUG and connected to Redis")
                    .contains("DEBUG")
                    .contains("connected to Redis");
            String everything = logged + read(dir.resolve("calls.jsonl")) + recordings(dir.resolve("recordings"));
            Map<String, String> secrets = Map.of(
                    "digest password", alicePassword,
                    "API key", supportKey,
                    "HTTP API key", apiKey,
                    "Twilio auth token", twilioToken,
                    "Redis password", redisPassword);
            secrets.forEach((what, secret) -> assertThat(everything)
                    .as("the %s in the log or the records", what)
                    .doesNotContain(secret));
        }
    }

    private Sipp.Result sipp(
            Path dir, String name, String scenario, Map<String, String> values, String service, String... more)
            throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        Path file = Sipp.scenario(run, scenario, values);
        List<String> args = new ArrayList<>(List.of("-sf", file.toString(), "-s", service, "-m", "1"));
        args.addAll(List.of(more));
        return Sipp.run(run, sipPort(dir), SIPP_LIMIT, args.toArray(String[]::new));
    }

    private int sipPort(Path dir) throws IOException {
        String yaml = Files.readString(dir.resolve("softswitch.yaml"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("sip_port: (\\d+)").matcher(yaml);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private int get(String url, String bearer) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .header("Authorization", "Bearer " + bearer)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static Map<String, List<String>> voice() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of("CA" + UUID.randomUUID().toString().replace("-", "")));
        params.put("AccountSid", List.of("AC0123456789abcdef0123456789abcdef"));
        params.put("From", List.of("+14155550100"));
        params.put("To", List.of("+15551230000"));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    private int twilioWebhook(String base, Map<String, List<String>> voice, String signature) throws Exception {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        voice.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/providers/twilio/incoming"))
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("X-Twilio-Signature", signature)
                                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(pairs)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static Process softswitch(Path log, Map<String, String> environment, String... args) throws IOException {
        return PackagedJar.start(log, List.of("-Dsoftswitch.log.level=DEBUG"), environment, args);
    }

    private static String recordings(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder names = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> names.append(p).append('\n'));
        }
        return names.toString();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
