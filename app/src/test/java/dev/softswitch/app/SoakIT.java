package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, "No leaks": a soak of short calls through SIPp leaves nothing behind. {@code soak.calls} calls (400 in
 * {@code ./mvnw verify}, 10,000 with {@code -Psoak}) at {@code soak.rate} calls per second (50; 100 with
 * {@code -Psoak}) against an in-process softswitch that rings for 1 s: 70% plain calls to the echo (INVITE with SDP,
 * 200, ACK, 300 ms up, BYE), 10% to the tone (the same, with RTP sent by us), 20% cancelled while ringing (CANCEL, 200,
 * 487, ACK). Every SIPp call must succeed. Once the calls are over and the stack's timers have run, every gauge in
 * {@code /metrics} that a call raises is back to 0 (calls, leased ports, media sessions, pacer streams, assistants,
 * the stack's dialogs and transactions), the stack's own leak audit finds nothing, each call ended with the expected
 * result and wrote its record, the live threads are at most {@value #THREAD_TOLERANCE} over the baseline and the heap
 * used after a full GC at most {@value #HEAP_MARGIN_MB} MB over it.
 *
 * <p>The baseline is taken after a warm-up of {@value #WARM_UP_CALLS} calls of the same mix (so that the pools that
 * start their threads on first use, the JIT and the stack's caches are already there), with nothing in progress. The
 * softswitch runs in the test's JVM, so that the stack's audit can be run; the JVM's meters it exports count the test
 * too, which is idle meanwhile. Its INFO logging (four lines a call) is turned down to WARN during the test.
 */
class SoakIT {

    static final int CALLS = Integer.getInteger("soak.calls", 400);
    static final int RATE = Integer.getInteger("soak.rate", 50);
    static final int WARM_UP_CALLS = 60;
    /** Pools that grow and shrink on their own (the virtual threads' carriers, the common pool) may differ a little. */
    static final int THREAD_TOLERANCE = 6;
    /** Heap after a full GC may move by a few MB between two measures; a leak of 2 KB a call is 20 MB at 10,000. */
    static final int HEAP_MARGIN_MB = 16;
    /** Of the calls, in percent: plain calls to the echo and to the tone; the rest are cancelled while ringing. */
    private static final int ECHO_PERCENT = 70;

    private static final int TONE_PERCENT = 10;

    private final ExecutorService httpThread = Executors.newSingleThreadExecutor();
    private final HttpClient http = HttpClient.newBuilder()
            .executor(httpThread)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void thousandsOfShortCallsLeaveNothingBehind(@TempDir Path dir) throws Exception {
        Logger softswitchLog = (Logger) LoggerFactory.getLogger("dev.softswitch");
        Level level = softswitchLog.getLevel();
        softswitchLog.setLevel(Level.WARN);
        try (Softswitch server = start(dir)) {
            String metrics = "http://127.0.0.1:" + server.http().port() + "/metrics";

            Mix warmUp = run(server, Files.createDirectory(dir.resolve("warm-up")), WARM_UP_CALLS, 20);
            assertAllSucceeded(warmUp);
            awaitNothingInProgress(metrics);
            Map<String, Double> before = counters(scrape(metrics));
            Baseline baseline = Baseline.take(metrics, this);

            long started = System.nanoTime();
            Mix soak = run(server, Files.createDirectory(dir.resolve("soak")), CALLS, RATE);
            long callsMillis = (System.nanoTime() - started) / 1_000_000;
            assertAllSucceeded(soak);

            long quietFrom = System.nanoTime();
            awaitNothingInProgress(metrics);
            long quietMillis = (System.nanoTime() - quietFrom) / 1_000_000;

            // The stack's own audit: the first run marks what is in its tables, the second reports what is still there.
            server.sip().auditStack(Duration.ZERO);
            Optional<String> leaks = server.sip().auditStack(Duration.ZERO);
            assertThat(leaks).as("the SIP stack's leak audit").isEmpty();

            // Every call ended the way it should, and wrote its record.
            Map<String, Double> after = counters(scrape(metrics));
            int completed = soak.echo() + soak.tone();
            assertThat(delta(after, before, "softswitch_calls_ended_total{result=\"completed\"}"))
                    .as("calls ended completed")
                    .isEqualTo(completed);
            assertThat(delta(after, before, "softswitch_calls_ended_total{result=\"cancelled\"}"))
                    .as("calls ended cancelled")
                    .isEqualTo(soak.cancelled());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            delta(counters(scrape(metrics)), before, "softswitch_call_records_written_total"))
                    .as("call records written")
                    .isEqualTo(CALLS));
            assertThat(after)
                    .containsEntry("softswitch_call_illegal_transitions_total", 0.0)
                    .containsEntry("softswitch_sip_listener_errors_total", 0.0)
                    .containsEntry("softswitch_call_records_dropped_total", 0.0);

            // Threads and heap back to the baseline.
            Baseline end = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(
                            () -> Baseline.take(metrics, this),
                            now -> now.threads() <= baseline.threads() + THREAD_TOLERANCE);
            long heapMargin = HEAP_MARGIN_MB * 1024L * 1024L;
            System.out.printf(
                    "SoakIT: %d calls (%d echo, %d tone, %d cancelled) at %d/s in %.1f s, all succeeded; quiet after"
                            + " %.1f s; dialogs 0, transactions 0 server 0 client, calls 0, ports leased 0, sessions"
                            + " 0, pacer streams 0, assistants 0, stack audit clean; threads %d -> %d (tolerance +%d);"
                            + " heap after full GC %.1f MB -> %.1f MB (margin +%d MB)%n",
                    CALLS,
                    soak.echo(),
                    soak.tone(),
                    soak.cancelled(),
                    RATE,
                    callsMillis / 1000.0,
                    quietMillis / 1000.0,
                    baseline.threads(),
                    end.threads(),
                    THREAD_TOLERANCE,
                    mb(baseline.heapAfterGc()),
                    mb(end.heapAfterGc()),
                    HEAP_MARGIN_MB);
            assertThat(end.threads())
                    .as("live threads; new since the baseline: %s", end.namesNotIn(baseline))
                    .isLessThanOrEqualTo(baseline.threads() + THREAD_TOLERANCE);
            assertThat(end.heapAfterGc())
                    .as("heap used after a full GC, baseline %.1f MB", mb(baseline.heapAfterGc()))
                    .isLessThanOrEqualTo(baseline.heapAfterGc() + heapMargin);
        } finally {
            softswitchLog.setLevel(level);
            httpThread.shutdownNow();
        }
    }

    /**
     * A softswitch on 127.0.0.1 with the demo assistants, ringing 1 s before each answer, with /metrics. Its RTP range
     * is 1000 ports (500 pairs, where the other tests take 400): at 100 calls a second about 110 pairs are in calls and
     * 200 wait out their 2 s quarantine.
     */
    private static Softswitch start(Path dir) throws StartupException {
        int rtp = 20000 + 400 * ThreadLocalRandom.current().nextInt(28); // as FreePorts.rtpRangeStart, below 32000
        return Softswitch.start(new ServeSettings(
                "127.0.0.1",
                "127.0.0.1",
                FreePorts.udpAndTcp(),
                rtp,
                rtp + 999,
                FreePorts.udpAndTcp(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                dir.resolve("calls.jsonl"),
                dir.resolve("recordings")));
    }

    /** How many calls of each kind a run placed, and what SIPp said of each kind. */
    record Mix(int echo, int tone, int cancelled, List<Sipp.Result> results) {}

    /** Runs {@code calls} calls at {@code rate} per second, split as the mix says, three SIPps at once. */
    private static Mix run(Softswitch server, Path dir, int calls, int rate) throws Exception {
        int echo = calls * ECHO_PERCENT / 100;
        int tone = calls * TONE_PERCENT / 100;
        int cancelled = calls - echo - tone;
        Duration limit = Duration.ofSeconds(calls / rate * 3L + 60);
        List<Process> processes = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        record Part(String name, String scenario, String service, int count) {}
        for (Part part : List.of(
                new Part("echo", "call", "echo", echo),
                new Part("tone", "call", "tone", tone),
                new Part("cancel", "cancel", "echo", cancelled))) {
            Path partDir = Files.createDirectory(dir.resolve(part.name()));
            Path scenario = Sipp.scenario(partDir, part.scenario(), Map.of("to", part.service()));
            int partRate = Math.max(1, rate * part.count() / calls);
            dirs.add(partDir);
            processes.add(Sipp.start(
                    partDir,
                    server.sip().port(),
                    limit,
                    "-sf",
                    scenario.toString(),
                    "-s",
                    part.service(),
                    "-m",
                    Integer.toString(part.count()),
                    "-r",
                    Integer.toString(partRate),
                    "-l",
                    "300"));
        }
        List<Sipp.Result> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            results.add(Sipp.result(processes.get(i), dirs.get(i), limit.plusSeconds(15)));
        }
        return new Mix(echo, tone, cancelled, results);
    }

    private static void assertAllSucceeded(Mix mix) {
        for (Sipp.Result result : mix.results()) {
            assertThat(result.exitCode())
                    .as("SIPp: every call succeeded\n%s", tail(result.output()))
                    .isZero();
        }
    }

    /**
     * Waits (up to 2 min: a non-INVITE server transaction lingers 32 s over UDP) until every gauge a call raises is 0.
     */
    private void awaitNothingInProgress(String metrics) {
        List<String> gauges = List.of(
                "softswitch_calls_active",
                "softswitch_rtp_ports_leased",
                "softswitch_rtp_sessions_open",
                "softswitch_pacer_streams",
                "softswitch_assistants_running",
                "softswitch_sip_dialogs",
                "softswitch_sip_transactions{side=\"server\"}",
                "softswitch_sip_transactions{side=\"client\"}");
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Map<String, Double> now = counters(scrape(metrics));
                    assertThat(gauges.stream().collect(Collectors.toMap(g -> g, g -> now.getOrDefault(g, -1.0))))
                            .as("gauges that must return to 0")
                            .allSatisfy((gauge, value) ->
                                    assertThat(value).as(gauge).isZero());
                });
    }

    String scrape(String metrics) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(metrics))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Every sample in a Prometheus text, by its name with labels, e.g. {@code softswitch_sip_transactions{side="server"}}. */
    static Map<String, Double> counters(String text) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String value = line.substring(space + 1);
            out.put(
                    line.substring(0, space),
                    switch (value) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(value);
                    });
        }
        return out;
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }

    /** Live threads (as /metrics exports them, with their names for a report) and heap used after a full GC. */
    record Baseline(int threads, long heapAfterGc, TreeSet<String> threadNames) {

        static Baseline take(String metrics, SoakIT test) throws IOException, InterruptedException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            memory.gc(); // System.gc(): a full, stop-the-world collection with G1 (no -XX:+ExplicitGCInvokesConcurrent)
            memory.gc();
            long heap = memory.getHeapMemoryUsage().getUsed();
            double threads = counters(test.scrape(metrics)).get("jvm_threads_live_threads");
            TreeSet<String> names = Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            return new Baseline((int) threads, heap, names);
        }

        TreeSet<String> namesNotIn(Baseline other) {
            TreeSet<String> out = new TreeSet<>(threadNames);
            out.removeAll(other.threadNames());
            return out;
        }
    }
}
