package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import dev.softswitch.sip.guard.SipGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Toll-fraud caps on calls placed through a trunk, against a real SIPp UAS on 127.0.0.1: a number outside
 * {@code allowed_prefixes} never gets an INVITE, the {@code max_concurrent_calls}+1th call is refused while that many
 * are up and admitted once one ends, calls past {@code max_calls_per_minute} are refused, every end of a call gives its
 * slot back, and each refusal is answered in its path's terms (HTTP 403/429 naming the field, {@code dial}'s exit
 * status 16), recorded and counted in {@code /metrics}.
 */
class OutboundCapsIT {

    private static final String KEY = "it-key-0123456789abcdef";
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(40);
    private static final Duration CALL_LIMIT = Duration.ofSeconds(20);
    /** INVITE request lines in SIPp's message trace: what reached the far end. */
    private static final Pattern INVITE_LINE = Pattern.compile("(?m)^INVITE (sip:\\S+) SIP/2\\.0");

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final ListAppender<ILoggingEvent> security = new ListAppender<>();

    @TempDir
    Path dir;

    private int sippPort;
    private int deadPort;
    private Softswitch softswitch;
    private String base;
    private Path records;

    @BeforeEach
    void start() throws Exception {
        security.start();
        ((Logger) LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER)).addAppender(security);
        sippPort = FreePorts.udpAndTcp();
        deadPort = FreePorts.udpAndTcp(); // nothing listens there
        records = dir.resolve("calls.jsonl");
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
                      max_concurrent_calls: 2
                      allowed_prefixes: ["+1555"]
                  - name: metered
                    outbound: { host: 127.0.0.1, port: %d, max_calls_per_minute: 2 }
                  - name: dead
                    outbound: { host: 127.0.0.1, port: %d, transport: tcp, max_concurrent_calls: 1 }
                api:
                  keys:
                    - { name: it, key: "${env:API_KEY}" }
                """.formatted(
                        FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), rtp, rtp + 399, sippPort, sippPort, deadPort);
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, yaml);
        LoadedConfig config = ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of("API_KEY", KEY)));
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
                        records,
                        dir.resolve("recordings")),
                config);
        base = "http://127.0.0.1:" + softswitch.http().port();
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER)).detachAppender(security);
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

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY);
    }

    private Answer call(String to, String trunk, String more) throws Exception {
        String body = "{\"to\": \"" + to + "\", \"trunk\": \"" + trunk + "\", \"assistant\": \"echo\"" + more + "}";
        return send(request("/v1/calls")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer call(String to, String trunk) throws Exception {
        return call(to, trunk, "");
    }

    private String placed(String to, String trunk) throws Exception {
        Answer a = call(to, trunk);
        assertThat(a.status()).as("%s through %s: %s", to, trunk, a.body()).isEqualTo(202);
        return a.body().path("url").asText();
    }

    private JsonNode pollUntil(String url, Predicate<JsonNode> test) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(CALL_LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Answer a = send(request(url).GET());
            assertThat(a.status()).isEqualTo(200);
            last[0] = a.body();
            return test.test(a.body());
        });
        return last[0];
    }

    private static Predicate<JsonNode> status(String status) {
        return s -> s.path("status").asText().equals(status);
    }

    private String metrics() throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of a {@code softswitch_outbound_*} sample, its labels given in the registry's (sorted) order. */
    private static double sample(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as("%s{%s} in /metrics", name, labels).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private List<String> securityLines() {
        return security.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<JsonNode> refusedRecords() throws IOException {
        return new CallRecordsFile(records)
                .of("echo").stream()
                        .filter(r -> r.path("reason").asText().equals("refused"))
                        .toList();
    }

    // ------------------------------------------------------------------ SIPp

    /** SIPp as the carrier, tracing every message to {@code messages.log}. */
    private Process sipp(String... scenario) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(scenario));
        args.addAll(List.of("-trace_msg", "-message_file", "messages.log"));
        Process sipp = Sipp.serve(dir, sippPort, SIPP_LIMIT, args.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !sipp.isAlive() || udpTaken(sippPort));
        assertThat(sipp.isAlive()).as("SIPp started").isTrue();
        return sipp;
    }

    private List<String> invitesSippGot() throws IOException {
        Path log = dir.resolve("messages.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        Matcher m = INVITE_LINE.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
        List<String> uris = new java.util.ArrayList<>();
        while (m.find()) {
            uris.add(m.group(1));
        }
        return uris;
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
    void aRefusedPrefixSendsNoInviteAndTheNPlusFirstCallWaitsForOneToEnd() throws Exception {
        Process sipp = sipp("-sn", "uas", "-m", "3");

        Answer abroad = call("+44 20 7123 4567", "carrier");
        assertThat(abroad.status()).isEqualTo(403);
        assertThat(abroad.body().path("field").asText()).isEqualTo("to");
        assertThat(abroad.body().path("error").asText())
                .isEqualTo("trunk carrier does not call +442071234567: allowed_prefixes are +1555");
        Answer plusless = call("15551230000", "carrier");
        assertThat(plusless.status()).as("the + counts: 1555 is not +1555").isEqualTo(403);

        String first = placed("+1 555 123-0001", "carrier");
        String second = placed("+15551230002", "carrier");
        pollUntil(first, status("answered"));
        pollUntil(second, status("answered"));

        Answer third = call("+15551230003", "carrier");
        assertThat(third.status()).as("two calls are up: %s", third.body()).isEqualTo(429);
        assertThat(third.body().path("field").asText()).isEqualTo("trunk");
        assertThat(third.body().path("error").asText()).contains("max_concurrent_calls");
        assertThat(softswitch.sip().outboundGuard().activeCalls("carrier")).isEqualTo(2);

        assertThat(send(request(first).DELETE()).status()).isEqualTo(202);
        assertThat(pollUntil(first, status("ended")).path("outcome").asText()).isEqualTo("answered");
        String again = placed("+15551230003", "carrier");
        pollUntil(again, status("answered"));

        for (String url : List.of(second, again)) {
            assertThat(send(request(url).DELETE()).status()).isEqualTo(202);
            pollUntil(url, status("ended"));
        }
        Sipp.Result far = Sipp.result(sipp, dir, SIPP_LIMIT);
        assertThat(far.exitCode())
                .as("SIPp answered three calls and got our BYEs:\n%s", far.output())
                .isZero();
        assertThat(invitesSippGot())
                .as("INVITEs that reached the carrier: none for the refused calls")
                .hasSize(3)
                .allMatch(uri -> uri.startsWith("sip:+1555123000"));

        assertThat(softswitch.sip().outboundGuard().activeCalls("carrier"))
                .as("every slot came back")
                .isZero();
        String metrics = metrics();
        assertThat(sample(metrics, "softswitch_outbound_refused_total", "reason=\"prefix\",trunk=\"carrier\""))
                .isEqualTo(2.0);
        assertThat(sample(metrics, "softswitch_outbound_refused_total", "reason=\"concurrent\",trunk=\"carrier\""))
                .isEqualTo(1.0);
        assertThat(sample(metrics, "softswitch_outbound_refused_total", "reason=\"rate\",trunk=\"carrier\""))
                .isZero();
        assertThat(sample(metrics, "softswitch_outbound_calls_active", "trunk=\"carrier\""))
                .isZero();

        assertThat(securityLines())
                .containsExactly(
                        "trunk metered may call any number: set outbound.allowed_prefixes (docs/security.md)",
                        "trunk dead may call any number: set outbound.allowed_prefixes (docs/security.md)",
                        "outbound call refused (prefix): trunk carrier does not call +442071234567: allowed_prefixes"
                                + " are +1555",
                        "outbound call refused (prefix): trunk carrier does not call 15551230000: allowed_prefixes"
                                + " are +1555",
                        "outbound call refused (concurrent): trunk carrier has 2 calls up, its max_concurrent_calls:"
                                + " try again once one ends");
        await().atMost(Duration.ofSeconds(5)).until(() -> refusedRecords().size() == 3);
        JsonNode record = refusedRecords().get(0);
        assertThat(record.path("trunk").asText()).isEqualTo("carrier");
        assertThat(record.path("to").asText()).isEqualTo("sip:+442071234567@127.0.0.1:" + sippPort);
        assertThat(record.path("sip_status").asInt()).isEqualTo(403);
        assertThat(record.path("detail").asText()).contains("allowed_prefixes are +1555");
        assertThat(refusedRecords().get(2).path("detail").asText()).contains("max_concurrent_calls");
    }

    @Test
    void callsPastTheMinutesCapAreRefusedWithRetryAfter() throws Exception {
        Process sipp = sipp(
                "-sf",
                Sipp.scenario(dir, "uas-reject", Map.of("status", "486", "reason", "Busy Here"))
                        .toString(),
                "-m",
                "2");
        long began = System.nanoTime();
        String first = placed("+4930123456", "metered");
        String second = placed("+4930123457", "metered");
        Answer third = call("+4930123458", "metered");
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        // Two calls in the window; the cap only holds while they are in it. Far more than this is a machine in trouble.
        Assumptions.assumeTrue(took.compareTo(Duration.ofSeconds(45)) < 0, "three requests took " + took);

        assertThat(third.status()).as("%s", third.body()).isEqualTo(429);
        assertThat(third.body().path("field").asText()).isEqualTo("trunk");
        assertThat(third.body().path("error").asText()).contains("max_calls_per_minute");
        long retry =
                Long.parseLong(third.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 60L);

        for (String url : List.of(first, second)) {
            assertThat(pollUntil(url, status("ended")).path("outcome").asText()).isEqualTo("busy");
        }
        assertThat(Sipp.result(sipp, dir, SIPP_LIMIT).exitCode()).isZero();
        assertThat(invitesSippGot()).hasSize(2).noneMatch(uri -> uri.contains("4930123458"));
        assertThat(sample(metrics(), "softswitch_outbound_refused_total", "reason=\"rate\",trunk=\"metered\""))
                .isEqualTo(1.0);
        Answer stillRefused = call("+4930123459", "metered");
        assertThat(stillRefused.status())
                .as("the calls ended, but they started within the minute")
                .isEqualTo(429);
    }

    @Test
    void aCancelledATimedOutAndAnUnreachableCallEachGiveTheirSlotBack() throws Exception {
        Process sipp = sipp("-sf", Sipp.scenario(dir, "uas-no-answer", Map.of()).toString(), "-m", "3");

        String ringing = placed("+15551230001", "carrier");
        String cancelled = placed("+15551230002", "carrier");
        pollUntil(ringing, status("ringing"));
        pollUntil(cancelled, status("ringing"));
        assertThat(call("+15551230003", "carrier").status())
                .as("two ringing calls hold both slots")
                .isEqualTo(429);

        assertThat(send(request(cancelled).DELETE()).status()).isEqualTo(202);
        assertThat(pollUntil(cancelled, status("ended")).path("outcome").asText())
                .isEqualTo("cancelled");
        Answer timesOut = call("+15551230003", "carrier", ", \"ring_timeout\": \"1s\"");
        assertThat(timesOut.status()).as("the cancelled call's slot came back").isEqualTo(202);
        assertThat(pollUntil(timesOut.body().path("url").asText(), status("ended"))
                        .path("outcome")
                        .asText())
                .isEqualTo("no_answer");
        assertThat(send(request(ringing).DELETE()).status()).isEqualTo(202);
        pollUntil(ringing, status("ended"));
        assertThat(Sipp.result(sipp, dir, SIPP_LIMIT).exitCode()).isZero();
        assertThat(softswitch.sip().outboundGuard().activeCalls("carrier")).isZero();

        String dead = placed("+15551230004", "dead");
        JsonNode end = pollUntil(dead, status("ended"));
        assertThat(end.path("outcome").asText()).isEqualTo("unreachable");
        assertThat(softswitch.sip().outboundGuard().activeCalls("dead")).isZero();
        Answer afterFailure = call("+15551230005", "dead");
        assertThat(afterFailure.status()).as("the failed call's slot came back").isEqualTo(202);
        pollUntil(afterFailure.body().path("url").asText(), status("ended"));
        assertThat(softswitch.sip().outboundGuard().activeCalls("dead")).isZero();
        assertThat(softswitch.sip().activeCalls()).isZero();
        assertThat(sample(metrics(), "softswitch_outbound_calls_active", "trunk=\"dead\""))
                .isZero();
    }

    @Test
    void theDialCommandRefusesANumberOutsideThePrefixesWithExitStatus16AndNoInvite() throws Exception {
        softswitch.close();
        softswitch = null;
        Path config = dir.resolve("dial.yaml");
        Files.writeString(config, """
                assistants:
                  - { id: echo, kind: echo }
                trunks:
                  - name: carrier
                    outbound: { host: 127.0.0.1, port: %d, allowed_prefixes: ["+1555"] }
                records:
                  calls: %s
                  recordings: %s
                """.formatted(sippPort, records, dir.resolve("recordings")));
        Process sipp = sipp("-sn", "uas", "-m", "1");
        int rtp = FreePorts.rtpRangeStart();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int status;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            status = new CommandLine(new Main())
                    .execute(
                            "dial",
                            "--config",
                            config.toString(),
                            "--sip-port",
                            Integer.toString(FreePorts.udpAndTcp()),
                            "--rtp-ports",
                            rtp + "-" + (rtp + 99),
                            "--trunk",
                            "carrier",
                            "--to",
                            "+44 20 7123 4567");
        } finally {
            System.setOut(out);
        }
        sipp.destroy();
        sipp.waitFor(10, TimeUnit.SECONDS);

        assertThat(status).as("dial's exit status: refused").isEqualTo(16);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("refused after 0:00: trunk carrier does not call +442071234567: allowed_prefixes are +1555");
        assertThat(invitesSippGot()).as("no INVITE reached the carrier").isEmpty();
        JsonNode record = refusedRecords().get(0);
        assertThat(record.path("direction").asText()).isEqualTo("outbound");
        assertThat(record.path("trunk").asText()).isEqualTo("carrier");
        assertThat(record.path("sip_status").asInt()).isEqualTo(403);
    }
}
