package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.bridge.testbot.BotSession;
import dev.softswitch.bridge.testbot.TestBot;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bot that freezes: it accepts the WebSocket and then reads nothing more (a plain socket with a receive buffer of a
 * few KB, so our audio backs up at once), while a SIPp caller streams RTP at it. The call must end by itself within
 * the stall timeout and a few seconds: the caller gets the error message and our BYE, the record says why, the port,
 * the media session and the bot's TCP connection are all released. A bot that is merely quiet (reads, answers pings,
 * sends nothing) keeps its call.
 */
class FrozenBotIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration STALL = Duration.ofSeconds(2);

    private static final String WAIT_FOR_OUR_BYE = Sipp.awaitOurBye(40_000);

    private static final String HANG_UP_AFTER_8_S = Sipp.byeAfter(8000, "200", 0);

    private static FrozenPeer.Server frozen;
    private static TestBot quiet;
    private static Softswitch server;
    private static CallRecordsFile records;
    private static String base;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        frozen = new FrozenPeer.Server();
        quiet = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
        int rtp = FreePorts.rtpRangeStart();
        int httpPort = FreePorts.udpAndTcp();
        base = "http://127.0.0.1:" + httpPort;
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, """
                listen: { bind: 127.0.0.1, sip_port: %d, http_port: %d }
                rtp: { ports: %d-%d }
                assistants:
                  - id: frozen
                    kind: websocket
                    dialect: audio
                    sample_rate: 16000
                    url: %s
                    stall_timeout: %ds
                  - id: quiet
                    kind: websocket
                    dialect: audio
                    sample_rate: 16000
                    url: %s
                    stall_timeout: %ds
                trunks:
                  - name: local
                    networks: [127.0.0.1/32]
                    routes: { frozen: frozen, quiet: quiet }
                """.formatted(
                        FreePorts.udpAndTcp(),
                        httpPort,
                        rtp,
                        rtp + 399,
                        frozen.url(),
                        STALL.toSeconds(),
                        quiet.url(),
                        STALL.toSeconds()));
        LoadedConfig config = ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of()));
        server = Softswitch.start(
                new ServeSettings(
                        "127.0.0.1",
                        "127.0.0.1",
                        config.config().listen().sipPort(),
                        rtp,
                        rtp + 399,
                        httpPort,
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        dir.resolve("calls.jsonl"),
                        dir.resolve("recordings")),
                config);
        records = new CallRecordsFile(dir.resolve("calls.jsonl"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        quiet.close();
        frozen.close();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBotThatStopsReadingEndsTheCallWithTheErrorMessageAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(
                dir, "stream-call", Map.of("audio", Sipp.alawTone(dir, 1000).toString(), "ending", WAIT_FOR_OUR_BYE));
        long dialled = System.nanoTime();
        Process caller = Sipp.start(
                dir,
                server.sip().port(),
                Duration.ofSeconds(60),
                "-sf",
                scenario.toString(),
                "-s",
                "frozen",
                "-m",
                "1");
        FrozenPeer bot = frozen.await(0, WAIT);
        assertThat(bot.receiveBuffer()).as("the frozen bot's receive buffer").isLessThan(16 * 1024);
        await().atMost(WAIT).until(() -> gauge("softswitch_calls_active") == 1);

        assertThat(caller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Duration lasted = Duration.ofNanos(System.nanoTime() - dialled);
        assertThat(caller.exitValue())
                .as("SIPp got our BYE and answered it\n%s", Files.readString(dir.resolve("sipp.out")))
                .isZero();
        // Stall timeout (2 s) + a ping interval (1 s) + the error tone and the BYE; generous for a loaded machine.
        assertThat(lasted).as("from INVITE to BYE").isLessThan(Duration.ofSeconds(30));

        JsonNode record = records.awaitNext("frozen", 0, WAIT);
        assertThat(record.path("ended_by").asText()).isEqualTo("assistant");
        assertThat(record.path("reason").asText()).isEqualTo("assistant_failed");
        assertThat(record.path("detail").asText()).matches("assistant: bot stopped reading: no pong for [2-9] s");
        assertThat(record.path("sip_status").asInt()).isEqualTo(200);
        assertThat(record.path("rtp").path("packets_received").asLong())
                .as("the caller streamed all along")
                .isGreaterThan(50);
        assertThat(record.path("rtp").path("packets_sent").asLong())
                .as("the error message went out")
                .isGreaterThan(10);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(gauge("softswitch_calls_active")).isZero();
            assertThat(gauge("softswitch_rtp_ports_leased")).isZero();
            assertThat(gauge("softswitch_rtp_sessions_open")).isZero();
            assertThat(health()).isEqualTo("{\"status\":\"up\",\"activeCalls\":0}");
        });
        // The bot reads again: what it finds ends, because the softswitch closed the connection (within its 2 s close
        // limit; our close frame waits behind the backlog, so it may or may not be among what arrived).
        FrozenPeer.Drained drained = bot.drain(Duration.ofSeconds(10));
        assertThat(drained.ended())
                .as("the softswitch closed the frozen bot's connection")
                .isTrue();
        assertThat(drained.closeCodes()).allSatisfy(code -> assertThat(code).isEqualTo(1008));
        assertThat(gauge("softswitch_bot_connections_opened_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBotThatReadsButSaysNothingKeepsItsCallThroughManyPings(@TempDir Path dir) throws Exception {
        int before = records.of("quiet").size();
        Path scenario = Sipp.scenario(
                dir, "stream-call", Map.of("audio", Sipp.alawTone(dir, 700).toString(), "ending", HANG_UP_AFTER_8_S));
        Process caller = Sipp.start(
                dir, server.sip().port(), Duration.ofSeconds(40), "-sf", scenario.toString(), "-s", "quiet", "-m", "1");
        BotSession bot = quiet.awaitSession(WAIT);
        bot.awaitEvent("start", WAIT);
        assertThat(caller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(caller.exitValue())
                .as(
                        "the caller hung up after 8 s: nobody cut the call short\n%s",
                        Files.readString(dir.resolve("sipp.out")))
                .isZero();
        JsonNode record = records.awaitNext("quiet", before, WAIT);
        assertThat(record.path("ended_by").asText()).isEqualTo("caller");
        assertThat(record.path("reason").asText()).isEqualTo("completed");
        assertThat(record.path("duration_ms").asLong())
                .as("four times the stall timeout, so several pings were answered")
                .isGreaterThan(4 * STALL.toMillis());
        bot.awaitEvent("stop", WAIT);
        assertThat(bot.receivedAudioFrames()).as("the bot heard the caller").isGreaterThan(200);
        assertThat(bot.violations()).isEmpty();
    }

    private static String health() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .strip();
    }

    /** The value of an unlabelled meter in {@code /metrics}. */
    private static double gauge(String name) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError(name + " is not in /metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
