package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio with the shipped configuration ({@code deploy/kamailio/kamailio.cfg}, untouched: only its {@code -A}
 * settings differ) on 127.0.0.1 in front of two packaged softswitch processes, the layout deploy/README.md describes.
 * SIPp calls through Kamailio. The instances share one Redis ({@code redis:} in their configuration: the one at {@code REDIS_URL}, default
 * {@code redis://127.0.0.1:6379}, under a key prefix of the test's own; else a {@code redis-server} of the test's own)
 * and so one RTP port range.
 */
class KamailioIT {

    private static final Path CONFIG = Path.of("..", "deploy", "kamailio", "kamailio.cfg");
    /** The shipped smoke-test scenario: calls through Kamailio that follow its Record-Route. */
    private static final Path CALL = Path.of("..", "deploy", "kamailio", "sipp-call.xml");

    private static final Pattern ANSWERED = Pattern.compile("answered: RTP 127\\.0\\.0\\.1:(\\d+) <-> ");
    private static final Pattern DESTINATION = Pattern.compile("URI: sip:127\\.0\\.0\\.1:(\\d+)\\s+FLAGS: (\\w+)");

    private final List<Process> started = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private @Nullable SharedRedis redis;

    /** Stops what the test started and keeps the logs under target/it-logs/KamailioIT/, to read after a failure. */
    @AfterEach
    void stopEverything(TestInfo test) throws InterruptedException, IOException {
        for (Process p : started) {
            p.destroy(); // SIGTERM: Kamailio stops its children itself
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        if (redis != null) {
            redis.close();
        }
        Path kept = Files.createDirectories(Path.of(
                "target",
                "it-logs",
                "KamailioIT",
                test.getTestMethod().map(m -> m.getName()).orElse("test")));
        for (Path log : logs) {
            if (Files.exists(log)) {
                Files.copy(
                        log,
                        kept.resolve(log.getParent().getFileName() + "-" + log.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void callsAreSpreadOverBothAndDrainingOneMidRunLosesNoCall(@TempDir Path dir) throws Exception {
        int rtp = FreePorts.rtpRangeStart();
        Instance a = instance(dir, "a", rtp);
        Instance b = instance(dir, "b", rtp);
        a.awaitReady();
        b.awaitReady();
        Kamailio kamailio = kamailio(dir, "kamailio", 1, a, b);

        // 60 calls of 3 s at 10 per second: about 30 at once, over 9 s.
        Path callers = Files.createDirectories(dir.resolve("sipp"));
        logs.add(callers.resolve("sipp.out"));
        Process sipp = Sipp.start(
                callers,
                kamailio.port,
                Duration.ofSeconds(40),
                "-sf",
                CALL.toAbsolutePath().toString(),
                "-s",
                "echo",
                "-d",
                "3000",
                "-m",
                "60",
                "-r",
                "10");
        started.add(sipp);
        await().atMost(Duration.ofSeconds(15))
                .alias("the Call-ID hash spreads calls over both")
                .until(() -> a.count("SipServer: connected") >= 5 && b.count("SipServer: connected") >= 5);
        assertThat(redis().keys()).as("the port pool is in Redis").isNotEmpty();
        List<Integer> firstOnA = a.rtpPorts().subList(0, 5);
        assertThat(b.rtpPorts().subList(0, 5))
                .as("one pool over one range: no port leased to both instances at once")
                .doesNotContainAnyElementsOf(firstOnA);

        a.process.destroy(); // SIGTERM: drain
        await().atMost(Duration.ofSeconds(5)).until(() -> a.log().contains("draining"));
        await().atMost(Duration.ofSeconds(5))
                .alias("Kamailio takes the draining instance out")
                .until(() -> kamailio.flags(a).startsWith("I"));

        Sipp.Result calls = Sipp.result(sipp, callers, Duration.ofSeconds(45));
        assertThat(calls.exitCode())
                .as("no call failed while an instance drained\n%s\n--- kamailio\n%s", calls.output(), kamailio.log())
                .isZero();
        assertThat(calls.output()).containsPattern("Successful call +\\| +\\d+ +\\| +60 ");

        assertThat(a.process.waitFor(20, TimeUnit.SECONDS))
                .as("the drained instance exits once its last call ended")
                .isTrue();
        assertThat(a.process.exitValue()).as(a.log()).isZero();
        assertThat(a.log()).doesNotContain("drain limit reached");

        Instant drained = a.logTime("Softswitch: draining");
        await().atMost(Duration.ofSeconds(5))
                .alias("every call has a record on one instance")
                .until(() -> a.records().size() + b.records().size() == 60);
        List<JsonNode> onA = a.records();
        List<JsonNode> onB = b.records();
        assertThat(onA).hasSizeGreaterThanOrEqualTo(5);
        assertThat(onA)
                .as("the calls in progress on the drained instance went on and the caller hung up")
                .allSatisfy(r -> {
                    assertThat(r.path("reason").asText()).isEqualTo("completed");
                    assertThat(r.path("ended_by").asText()).isEqualTo("caller");
                    assertThat(r.path("duration_ms").asLong()).isGreaterThanOrEqualTo(2900);
                    assertThat(Instant.parse(r.path("started").asText()))
                            .as("no new call on the drained instance")
                            .isBefore(drained);
                });
        assertThat(onB)
                .filteredOn(r -> Instant.parse(r.path("started").asText()).isAfter(drained))
                .as("the new calls went to the other instance")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("reason").asText()).isEqualTo("completed"));
    }

    @Test
    void aDrainingInstanceIsProbedOutItsRefusalFailsOverAndItsByeFollowsTheRecordRoute(@TempDir Path dir)
            throws Exception {
        int rtp = FreePorts.rtpRangeStart();
        Instance a = instance(dir, "a", rtp, "--drain-timeout", "6s");
        Instance b = instance(dir, "b", rtp, "--drain-timeout", "6s");
        a.awaitReady();
        b.awaitReady();
        Kamailio probing = kamailio(dir, "probing", 1, a, b);

        // One call that the softswitch will end: its BYE must reach the caller through Kamailio.
        Path held = Files.createDirectories(dir.resolve("held"));
        logs.add(held.resolve("sipp.out"));
        Path hangup = Sipp.scenario(held, "proxied-server-hangup", Map.of("proxy", "" + probing.port));
        Process call = Sipp.start(
                held, probing.port, Duration.ofSeconds(30), "-sf", hangup.toString(), "-s", "echo", "-m", "1");
        started.add(call);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.count("SipServer: connected") + b.count("SipServer: connected") == 1);
        Instance owner = a.count("SipServer: connected") == 1 ? a : b;
        Instance other = owner == a ? b : a;

        owner.process.destroy(); // SIGTERM: drain, the call goes on for up to 6 s
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.log().contains("draining"));
        await().atMost(Duration.ofSeconds(4))
                .alias("the OPTIONS probe (no INVITE was sent meanwhile) takes the draining instance out")
                .until(() -> probing.flags(owner).startsWith("I"));
        assertThat(owner.process.isAlive()).as("still draining").isTrue();
        assertThat(probing.flags(other)).startsWith("A");

        // A Kamailio that does not probe (DS_PING_INTERVAL 0) still believes the draining instance is up: the 503 it
        // gets for an INVITE sends that INVITE to the other instance (failure_route, ds_next_dst).
        Kamailio blind = kamailio(dir, "blind", 0, a, b);
        Path callers = Files.createDirectories(dir.resolve("sipp"));
        logs.add(callers.resolve("sipp.out"));
        Sipp.Result calls = Sipp.run(
                callers,
                blind.port,
                Duration.ofSeconds(20),
                "-sf",
                CALL.toAbsolutePath().toString(),
                "-s",
                "echo",
                "-d",
                "300",
                "-m",
                "20",
                "-r",
                "20");
        assertThat(calls.exitCode())
                .as("no call failed\n%s\n--- kamailio\n%s", calls.output(), blind.log())
                .isZero();
        assertThat(blind.log()).contains("instance sip:127.0.0.1:" + owner.sipPort + " failed INVITE (503)");
        await().atMost(Duration.ofSeconds(5))
                .alias("the 20 calls were taken by the other instance")
                .until(() -> other.records().size() == 20);
        assertThat(blind.flags(owner)).as("marked inactive by the failure").startsWith("I");
        assertThat(other.rtpPorts())
                .as("the SDP gave the caller the instance's own RTP ports: media does not pass through Kamailio")
                .isNotEmpty()
                .allSatisfy(port -> assertThat(port).isBetween(other.rtp, other.rtp + 399));

        // The drain limit ends the held call with our BYE, sent along the Record-Route set: through Kamailio.
        assertThat(call.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(call.exitValue())
                .as("our BYE reached the caller through Kamailio\n%s", read(held.resolve("sipp.out")))
                .isZero();
        assertThat(owner.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(owner.process.exitValue()).as(owner.log()).isZero();
        assertThat(owner.log()).contains("drain limit reached");
        assertThat(owner.records())
                .singleElement()
                .satisfies(r -> assertThat(r.path("ended_by").asText()).isEqualTo("softswitch"));
    }

    // ------------------------------------------------------------------ the processes

    /** A softswitch process ({@code softswitch serve}) with its own SIP port, RTP range, log and call records. */
    private final class Instance {
        final int sipPort;
        final int rtp;
        final Path logFile;
        final Path recordsFile;
        final Process process;

        Instance(Path dir, String name, int rtp, String... extra) throws IOException {
            sipPort = FreePorts.udpAndTcp();
            this.rtp = rtp;
            Path home = Files.createDirectories(dir.resolve(name));
            logFile = home.resolve("softswitch.log");
            recordsFile = home.resolve("calls.jsonl");
            logs.add(logFile);
            SharedRedis shared = sharedRedis(dir);
            // As deploy/README.md has it: Kamailio is a trunk known by its address, the instances share Redis.
            Path config = home.resolve("softswitch.yaml");
            Files.writeString(config, """
                    listen:
                      bind: 127.0.0.1
                      sip_port: %d
                      http_port: 0
                    rtp:
                      ports: %d-%d
                    redis:
                      url: %s
                      key_prefix: "%s"
                    assistants:
                      - id: echo
                        kind: echo
                    trunks:
                      - name: kamailio
                        networks: [127.0.0.1/32]
                        routes:
                          default: echo
                    """.formatted(sipPort, rtp, rtp + 399, shared.url, shared.prefix));
            List<String> args = new ArrayList<>(
                    List.of("serve", "--config", config.toString(), "--call-records", recordsFile.toString()));
            args.addAll(List.of(extra));
            process = PackagedJar.start(logFile, args.toArray(String[]::new));
            started.add(process);
        }

        void awaitReady() {
            await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("softswitch ready"));
        }

        String log() throws IOException {
            return read(logFile);
        }

        long count(String text) throws IOException {
            return log().lines().filter(l -> l.contains(text)).count();
        }

        /** The local RTP port of each call answered so far, in order. */
        List<Integer> rtpPorts() throws IOException {
            Matcher m = ANSWERED.matcher(log());
            List<Integer> ports = new ArrayList<>();
            while (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
            return ports;
        }

        /** When the first log line containing {@code text} was written. */
        Instant logTime(String text) throws IOException {
            String line = log().lines()
                    .filter(l -> l.contains(text))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + text + "' in the log"));
            return Instant.parse(line.substring(0, line.indexOf(' ')));
        }

        List<JsonNode> records() throws IOException {
            return new CallRecordsFile(recordsFile).of("echo");
        }
    }

    private Instance instance(Path dir, String name, int rtp, String... extra) throws IOException {
        return new Instance(dir, name, rtp, extra);
    }

    /** Kamailio on 127.0.0.1 with the shipped configuration, dispatching to {@code instances}. */
    private final class Kamailio {
        final int port;
        final Path home;
        final Process process;

        Kamailio(Path dir, String name, int pingInterval, Instance... instances) throws IOException {
            Path kamailio = Tools.require("kamailio", "kamailio");
            port = FreePorts.udpAndTcp();
            home = Files.createDirectories(dir.resolve(name));
            StringBuilder list = new StringBuilder();
            for (Instance instance : instances) {
                list.append("1 sip:127.0.0.1:").append(instance.sipPort).append('\n');
            }
            Path listFile = home.resolve("dispatcher.list");
            Files.writeString(listFile, list.toString());
            logs.add(home.resolve("kamailio.log"));
            List<String> command = List.of(
                    kamailio.toString(),
                    "-DD", // foreground, so the test owns the process
                    "-E", // log to stderr
                    "-f",
                    CONFIG.toAbsolutePath().normalize().toString(),
                    "-A",
                    "SIP_ADDR=127.0.0.1",
                    "-A",
                    "SIP_PORT=" + port,
                    "-A",
                    "DISPATCHER_LIST=\"" + listFile.toAbsolutePath() + "\"",
                    "-A",
                    "CTL_SOCKET=\"unix:" + ctlSocket() + "\"",
                    "-A",
                    "DS_PING_INTERVAL=" + pingInterval,
                    "-A",
                    "CHILDREN=2",
                    "-Y",
                    home.toAbsolutePath().toString(),
                    "-w",
                    home.toAbsolutePath().toString(),
                    "-m",
                    "32",
                    "-M",
                    "4");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("kamailio.log").toFile())
                    .start();
            started.add(process);
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> destinations().size() == instances.length);
        }

        Path ctlSocket() {
            return home.toAbsolutePath().resolve("kamailio_ctl");
        }

        String log() throws IOException {
            return read(home.resolve("kamailio.log"));
        }

        /** The dispatcher's state of each instance by SIP port ({@code kamcmd dispatcher.list}): AP, IP, ... */
        Map<Integer, String> destinations() throws IOException, InterruptedException {
            assertThat(process.isAlive()).as("kamailio runs\n%s", log()).isTrue();
            Path kamcmd = Tools.require("kamcmd", "kamailio");
            Process p = new ProcessBuilder(kamcmd.toString(), "-s", "unix:" + ctlSocket(), "dispatcher.list")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("kamcmd dispatcher.list: " + out);
            }
            Map<Integer, String> flags = new HashMap<>();
            Matcher m = DESTINATION.matcher(out);
            while (m.find()) {
                flags.put(Integer.parseInt(m.group(1)), m.group(2));
            }
            return flags;
        }

        String flags(Instance instance) throws IOException, InterruptedException {
            return destinations().getOrDefault(instance.sipPort, "?");
        }
    }

    private Kamailio kamailio(Path dir, String name, int pingInterval, Instance... instances) throws IOException {
        return new Kamailio(dir, name, pingInterval, instances);
    }

    private SharedRedis redis() {
        assertThat(redis).as("an instance was started").isNotNull();
        return java.util.Objects.requireNonNull(redis);
    }

    private SharedRedis sharedRedis(Path dir) throws IOException {
        if (redis == null) {
            redis = SharedRedis.open(dir, started);
        }
        return redis;
    }

    /**
     * The Redis the instances share: {@code REDIS_URL} (default {@code redis://127.0.0.1:6379}) when it answers, else a
     * {@code redis-server} of the test's own on a free port. The test's keys live under {@link #prefix}; {@link #close}
     * deletes them. Talks just enough RESP (PING, KEYS, DEL) to check and clean up.
     */
    private static final class SharedRedis implements AutoCloseable {
        final String url;
        final String prefix = "kamailio-it:" + UUID.randomUUID() + ":";
        private final URI uri;

        private SharedRedis(String url) {
            this.url = url;
            this.uri = URI.create(url);
        }

        static SharedRedis open(Path dir, List<Process> started) throws IOException {
            String given = System.getenv("REDIS_URL");
            SharedRedis candidate =
                    new SharedRedis(given == null || given.isBlank() ? "redis://127.0.0.1:6379" : given.trim());
            if (candidate.answers() || (given != null && !given.isBlank())) {
                return candidate;
            }
            Path server = Tools.require("redis-server", "redis-server");
            int port = FreePorts.udpAndTcp();
            Path home = Files.createDirectories(dir.resolve("redis"));
            Process process = new ProcessBuilder(
                            server.toString(),
                            "--bind",
                            "127.0.0.1",
                            "--port",
                            "" + port,
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            home.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("redis.log").toFile())
                    .start();
            started.add(process);
            SharedRedis own = new SharedRedis("redis://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(10)).until(own::answers);
            return own;
        }

        boolean answers() {
            try {
                return "PONG".equals(command("PING"));
            } catch (IOException e) {
                return false;
            }
        }

        /** The test's keys in Redis now. */
        List<String> keys() throws IOException {
            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) command("KEYS", prefix + "*");
            return keys;
        }

        @Override
        public void close() throws IOException {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                List<String> del = new ArrayList<>(List.of("DEL"));
                del.addAll(keys);
                command(del.toArray(new String[0]));
            }
        }

        /** One command on a new connection (AUTH and SELECT first when the URL asks for them): its reply. */
        private @Nullable Object command(String... args) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379), 1000);
                socket.setSoTimeout(2000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                String userInfo = uri.getUserInfo();
                if (userInfo != null && !userInfo.isEmpty()) {
                    String password = userInfo.substring(userInfo.indexOf(':') + 1);
                    write(out, "AUTH", password);
                    reply(in);
                }
                String db = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
                if (!db.isEmpty()) {
                    write(out, "SELECT", db);
                    reply(in);
                }
                write(out, args);
                return reply(in);
            }
        }

        private static void write(OutputStream out, String... args) throws IOException {
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static @Nullable Object reply(DataInputStream in) throws IOException {
            String line = line(in);
            char type = line.charAt(0);
            String rest = line.substring(1);
            switch (type) {
                case '+', ':' -> {
                    return rest;
                }
                case '-' -> throw new IOException("Redis: " + rest);
                case '$' -> {
                    int length = Integer.parseInt(rest);
                    if (length < 0) {
                        return null;
                    }
                    byte[] bytes = new byte[length + 2];
                    in.readFully(bytes);
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                case '*' -> {
                    int count = Integer.parseInt(rest);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        items.add(reply(in));
                    }
                    return items;
                }
                default -> throw new IOException("Redis: unexpected reply " + line);
            }
        }

        private static String line(DataInputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("Redis closed the connection");
                }
                b.append((char) c);
            }
            in.read(); // \n
            return b.toString();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
