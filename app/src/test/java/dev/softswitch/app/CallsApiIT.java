package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call API of a running softswitch over HTTP on 127.0.0.1, placing calls through a trunk that points at SIPp: a
 * callee that is busy, one that rings until the API hangs up, and a carrier that challenges and then answers.
 */
class CallsApiIT {

    private static final String KEY = "it-key-0123456789abcdef";
    private static final String PASSWORD = "s3cret-carrier";
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);
    private static final Duration CALL_LIMIT = Duration.ofSeconds(20);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private int sippPort;
    private Softswitch softswitch;
    private String base;

    @BeforeEach
    void start() throws Exception {
        sippPort = FreePorts.udpAndTcp();
        int rtp = FreePorts.rtpRangeStart();
        String yaml = """
                listen:
                  bind: 127.0.0.1
                  sip_port: %d
                  http_port: %d
                rtp:
                  ports: %d-%d
                assistants:
                  - { id: echo, kind: echo }
                trunks:
                  - name: carrier
                    outbound:
                      host: 127.0.0.1
                      port: %d
                      username: acme
                      password: ${env:CARRIER_PASSWORD}
                      caller_id: "+15550001111"
                api:
                  keys:
                    - { name: it, key: "${env:API_KEY}" }
                """.formatted(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), rtp, rtp + 399, sippPort);
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, yaml);
        LoadedConfig config = ConfigLoader.load(
                file, SecretResolver.withEnvironment(Map.of("CARRIER_PASSWORD", PASSWORD, "API_KEY", KEY)));
        ListenConfig listen = config.config().listen();
        softswitch = Softswitch.start(
                new ServeSettings(
                        listen.bind(),
                        listen.advertise(),
                        listen.sipPort(),
                        rtp,
                        rtp + 399,
                        listen.httpPort(),
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        dir.resolve("calls.jsonl"),
                        dir.resolve("recordings")),
                config);
        base = "http://127.0.0.1:" + softswitch.http().port();
    }

    @AfterEach
    void stop() {
        if (softswitch != null) {
            softswitch.close();
        }
    }

    // ------------------------------------------------------------------ HTTP

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r =
                client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), json.readTree(r.body()), r);
    }

    private HttpRequest.Builder request(String path, @Nullable String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private Answer post(String body) throws Exception {
        return send(request("/v1/calls", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer get(String url) throws Exception {
        return send(request(url, KEY).GET());
    }

    private Answer delete(String url) throws Exception {
        return send(request(url, KEY).DELETE());
    }

    /** Polls {@code url} until its state passes {@code test}, within {@link #CALL_LIMIT}; returns that state. */
    private JsonNode pollUntil(String url, Predicate<JsonNode> test) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(CALL_LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Answer a = get(url);
            assertThat(a.status()).isEqualTo(200);
            last[0] = a.body();
            return test.test(a.body());
        });
        return last[0];
    }

    private static Predicate<JsonNode> status(String status) {
        return s -> s.path("status").asText().equals(status);
    }

    // ------------------------------------------------------------------ SIPp

    private Process sipp(String scenario, Map<String, String> values) throws Exception {
        Process sipp = Sipp.serve(
                dir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(dir, scenario, values).toString(),
                "-m",
                "1");
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !sipp.isAlive() || udpTaken(sippPort));
        assertThat(sipp.isAlive()).as("SIPp started").isTrue();
        return sipp;
    }

    private static boolean udpTaken(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aBusyCalleeEndsTheCallWithOutcomeBusyAnd486() throws Exception {
        Process sipp = sipp("uas-reject", Map.of("status", "486", "reason", "Busy Here"));

        Answer placed = post(
                "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"echo\", \"variables\": {\"name\": \"Ada\"}}");
        assertThat(placed.status()).isEqualTo(202);
        String url = placed.body().path("url").asText();
        assertThat(url).isEqualTo("/v1/calls/" + placed.body().path("id").asText());
        assertThat(placed.raw().headers().firstValue("Location")).hasValue(url);
        assertThat(placed.body().path("status").asText()).isEqualTo("trying");

        JsonNode end = pollUntil(url, status("ended"));
        assertThat(end.path("outcome").asText()).isEqualTo("busy");
        assertThat(end.path("sip_status").asInt()).isEqualTo(486);
        assertThat(end.path("to").asText()).isEqualTo("+15551230000");
        assertThat(end.path("trunk").asText()).isEqualTo("carrier");
        assertThat(end.path("assistant").asText()).isEqualTo("echo");
        assertThat(end.get("answered").isNull()).isTrue();
        assertThat(end.path("ended").asText()).isNotEmpty();

        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(far.exitCode())
                .as("SIPp got the ACK for its 486:\n%s", far.output())
                .isZero();
        assertThat(delete(url).status()).as("hanging up an ended call").isEqualTo(409);
    }

    @Test
    void deletingARingingCallCancelsIt() throws Exception {
        Process sipp = sipp("uas-no-answer", Map.of());

        Answer placed = post("{\"to\": \"sip:+15551230000@127.0.0.1:" + sippPort
                + "\", \"assistant\": \"echo\", \"ring_timeout\": \"30s\"}");
        assertThat(placed.status()).isEqualTo(202);
        String url = placed.body().path("url").asText();
        pollUntil(url, status("ringing"));
        assertThat(get("/v1/calls").body().path("calls"))
                .extracting(c -> c.path("id").asText())
                .contains(placed.body().path("id").asText());

        Answer hungUp = delete(url);
        assertThat(hungUp.status()).isEqualTo(202);

        JsonNode end = pollUntil(url, status("ended"));
        assertThat(end.path("outcome").asText()).isEqualTo("cancelled");
        assertThat(end.path("sip_status").asInt()).isEqualTo(487);
        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(far.exitCode())
                .as("SIPp got our CANCEL and the ACK for its 487:\n%s", far.output())
                .isZero();
    }

    @Test
    void aCarrierThatChallengesAnswersAndTheApiHangsUpWithBye() throws Exception {
        Process sipp = sipp("uas-auth", Map.of("username", "acme", "password", PASSWORD));

        Answer placed = post(
                "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"echo\", \"max_duration\": 60}");
        assertThat(placed.status()).isEqualTo(202);
        String url = placed.body().path("url").asText();

        JsonNode answered = pollUntil(url, status("answered"));
        assertThat(answered.path("sip_status").asInt()).isEqualTo(200);
        assertThat(answered.path("answered").asText()).isNotEmpty();
        assertThat(answered.get("outcome").isNull()).isTrue();

        assertThat(delete(url).status()).isEqualTo(202);
        JsonNode end = pollUntil(url, status("ended"));
        assertThat(end.path("outcome").asText()).isEqualTo("answered");
        assertThat(end.path("duration_s").asDouble()).isPositive();
        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(far.exitCode())
                .as("SIPp saw INVITE, INVITE with credentials, ACK and our BYE:\n%s", far.output())
                .isZero();
    }

    @Test
    void keysInputAndPathsAreCheckedBeforeAnythingIsDialled() throws Exception {
        String call = "{\"to\": \"+15551230000\", \"trunk\": \"carrier\", \"assistant\": \"echo\"}";
        Answer missing = send(request("/v1/calls", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call)));
        Answer wrong = send(request("/v1/calls", "wrong-key-0123456789abcdef")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call)));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"softswitch\"");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.raw().body()).isEqualTo(missing.raw().body());

        Answer noTrunk = post("{\"to\": \"+15551230000\", \"trunk\": \"other\", \"assistant\": \"echo\"}");
        assertThat(noTrunk.status()).isEqualTo(400);
        assertThat(noTrunk.body().path("field").asText()).isEqualTo("trunk");
        assertThat(noTrunk.body().path("error").asText()).contains("no trunk 'other'");

        Answer text = send(request("/v1/calls", KEY)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(call)));
        assertThat(text.status()).isEqualTo(415);

        assertThat(get("/v1/calls/0123456789ab").status()).isEqualTo(404);
        Answer put = send(request("/v1/calls", KEY).PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.raw().headers().firstValue("Allow")).hasValue("GET, POST");

        HttpResponse<String> health = client.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("/health needs no key").isEqualTo(200);
        assertThat(softswitch.sip().activeCalls()).as("nothing was dialled").isZero();
    }
}
