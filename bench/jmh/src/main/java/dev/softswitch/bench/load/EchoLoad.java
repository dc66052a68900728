package dev.softswitch.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code java -cp benchmarks.jar dev.softswitch.bench.load.EchoLoad --server 127.0.0.1:5060 --calls 100 ...}: places
 * {@code --calls} echo calls at {@code --rate} per second, streams marked PCMU both ways on each, and once all are up
 * and {@code --settle} seconds have passed, measures for {@code --duration} seconds; then keeps the calls up for
 * {@code --tail} seconds (late echoes arrive, the script reads the server's heap), and until the file {@code --hold-file}
 * exists when one is named (at most two minutes), and hangs up.
 *
 * <p>Prints {@code UP}, {@code STEADY} and {@code MEASURED} lines as the phases start, then {@code RESULT key=value}
 * lines; writes {@code delay.tsv} and {@code spacing.tsv} (distributions, for charts) under {@code --out}. Everything
 * stays on the address given: use 127.0.0.1.
 */
public final class EchoLoad {

    /** Issue 10's target for the echo's delay: within 1 ms beyond the 20 ms frame. */
    private static final long ECHO_TARGET_NANOS = 21_000_000L;

    private static final long TICK_NANOS = 5_000_000L;
    private static final int WARM_UP_READINGS = 200;
    /** Time after the first reading of the server before the window opens: see the comment where it is used. */
    private static final long PROBE_SETTLE_NANOS = 3_000_000_000L;

    private static final Pattern DOT = Pattern.compile("\\.");
    private static final long CALL_SETUP_TIMEOUT = 15_000_000_000L;

    /** Bins of the arrival spacing's distance from 20 ms, for the pacing chart. */
    private static final long[] SPACING_BINS = {
        100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000
    };

    private final Map<String, String> options;
    private final Map<String, String> results = new LinkedHashMap<>();

    private EchoLoad(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (!options.containsKey("server") || !options.containsKey("calls")) {
            System.err.println("usage: EchoLoad --server HOST:PORT --calls N [--service echo] [--rate 100]"
                    + " [--settle 2] [--duration 30] [--tail 6] [--server-pid PID] [--metrics URL]"
                    + " [--late-ms 2] [--out DIR] [--hold-file PATH] [--gc-log PATH]");
            System.exit(2);
        }
        new EchoLoad(options).run();
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private void run() throws IOException {
        String server0 = option("server", "");
        int colon = server0.lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(
                InetAddress.getByAddress(parseIpv4(server0.substring(0, colon))),
                Integer.parseInt(server0.substring(colon + 1)));
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("--server must be on this host (127.0.0.0/8): the load stays local");
        }
        int count = Integer.parseInt(option("calls", "0"));
        double rate = Double.parseDouble(option("rate", "100"));
        long settle = seconds(option("settle", "2"));
        long duration = seconds(option("duration", "30"));
        long tail = seconds(option("tail", "6"));
        double lateMs = Double.parseDouble(option("late-ms", "2"));
        Path out = Path.of(option("out", "."));
        String metrics = option("metrics", "");
        ServerProbe probe = new ServerProbe(
                Long.parseLong(option("server-pid", "0")), metrics.isEmpty() ? null : URI.create(metrics));

        // Readings before any call, enough for the JIT compilers to have compiled the HTTP client here and the metrics'
        // exposition in the server: a first reading during the calls set both compilers going, which took the 2 cores
        // from under the calls for some 400 ms (every call's packets late at once, in both directions).
        for (int i = 0; i < WARM_UP_READINGS; i++) {
            probe.take();
        }

        List<EchoCall> calls = new ArrayList<>();
        String run = Long.toHexString(System.currentTimeMillis());
        RtpPump pump = new RtpPump();
        SipAgent sip = new SipAgent(server, option("service", "echo"), pump::add);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                waitUntil(start + (long) (i * 1e9 / rate), sip);
                EchoCall call = new EchoCall(i, "bench-" + run + "-" + i + "@127.0.0.1");
                calls.add(call);
                sip.invite(call);
            }
            long deadline = System.nanoTime() + CALL_SETUP_TIMEOUT + TICK_NANOS;
            while (System.nanoTime() < deadline && calls.stream().anyMatch(c -> c.state == EchoCall.State.INVITING)) {
                waitUntil(System.nanoTime() + TICK_NANOS, sip);
            }
            long up = calls.stream()
                    .filter(c -> c.state == EchoCall.State.CONNECTED)
                    .count();
            say("UP connected=" + up + " of " + count + " in "
                    + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9) + " s");

            waitUntil(System.nanoTime() + settle, sip);
            Timeline timeline =
                    new Timeline(System.nanoTime(), PROBE_SETTLE_NANOS + duration + TICK_NANOS, ECHO_TARGET_NANOS);
            pump.watch(timeline);
            ServerProbe.Snapshot before = probe.take();
            // Reading the server's figures pauses this generator's sender for some milliseconds, and the calls take
            // those packets for late ones: the window starts once that has passed (the CPU share is a rate, and the
            // server's counters are differences, so the extra seconds do not bend them).
            waitUntil(System.nanoTime() + PROBE_SETTLE_NANOS, sip);
            long windowStart = System.nanoTime();
            timeline.windowOpens(windowStart);
            long stealBefore = MachineStat.stealTicks();
            pump.measure(true);
            say("STEADY");
            waitUntil(System.nanoTime() + duration, sip);
            pump.measure(false);
            timeline.close();
            long stealAfter = MachineStat.stealTicks();
            double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
            ServerProbe.Snapshot after = probe.take();
            say("MEASURED");
            waitUntil(System.nanoTime() + tail, sip);
            String holdFile = option("hold-file", "");
            long holdDeadline = System.nanoTime() + 120_000_000_000L;
            while (!holdFile.isEmpty() && !Files.exists(Path.of(holdFile)) && System.nanoTime() < holdDeadline) {
                waitUntil(System.nanoTime() + 50_000_000L, sip);
            }

            long byeStart = System.nanoTime();
            for (EchoCall call : calls) {
                if (call.state == EchoCall.State.CONNECTED) {
                    pump.remove(call);
                    sip.bye(call);
                }
            }
            while (System.nanoTime() - byeStart < 12_000_000_000L
                    && calls.stream().anyMatch(c -> c.state == EchoCall.State.BYE_SENT)) {
                waitUntil(System.nanoTime() + TICK_NANOS, sip);
            }
            pump.close();
            report(calls, sip, pump, before, after, up, lateMs);
            put(
                    "steal_pct",
                    stealBefore < 0 || stealAfter < 0
                            ? Double.NaN
                            : 100.0
                                    * (stealAfter - stealBefore)
                                    / ServerProbe.CLOCK_TICKS
                                    / windowSeconds
                                    / Runtime.getRuntime().availableProcessors());
            String gcLog = option("gc-log", "");
            if (!gcLog.isEmpty()) {
                readGcPauses(Path.of(gcLog), timeline);
                long[] gc = timeline.gcPausesInWindow();
                put("gc_pauses", gc[0]);
                put("gc_pause_total_ms", gc[1] / 1e6);
                put("gc_pause_max_ms", gc[2] / 1e6);
            }
            put("window_opens_nanos", windowStart); // System.nanoTime(), as the GC logs' timenanos stamps
            put("late_steps", timeline.lateSteps());
            put("late_in_worst_10_steps_pct", 100 * timeline.shareOfLateInWorst(10));
            Files.createDirectories(out);
            pump.delay.writeTsv(out.resolve("delay.tsv"), "fraction", 10);
            pump.spacing.writeBins(out.resolve("spacing.tsv"), "fraction", SPACING_BINS);
            writeSendIntervals(out.resolve("send-intervals.tsv"), before, after);
            timeline.writeTsv(out.resolve("timeline.tsv"), ServerProbe.CLOCK_TICKS);
        } finally {
            pump.close();
            sip.close();
            calls.forEach(EchoCall::close);
        }
        results.forEach((k, v) -> System.out.println("RESULT " + k + "=" + v));
        System.out.flush();
    }

    /** A G1 pause line of {@code -Xlog:gc:file=...:timenanos}: {@code [<nanoTime>ns] GC(n) Pause ... <ms>ms}. */
    private static final Pattern GC_PAUSE = Pattern.compile("^\\[(\\d+)ns\\] GC\\(\\d+\\) Pause .* ([0-9.]+)ms$");

    /**
     * The softswitch's collector pauses, from its GC log, into the timeline. The log's {@code timenanos} decoration is
     * {@code System.nanoTime()} of that JVM, the same monotonic clock as this one's; each line is written as its pause
     * ends. A missing or unreadable log leaves the timeline without them, and says so.
     */
    private static void readGcPauses(Path log, Timeline timeline) {
        try (Stream<String> lines = Files.lines(log)) {
            lines.map(GC_PAUSE::matcher)
                    .filter(Matcher::matches)
                    .forEach(m -> timeline.gcPause(
                            Long.parseLong(m.group(1)), (long) (Double.parseDouble(m.group(2)) * 1e6)));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("the softswitch's GC log " + log + " could not be read: " + e.getMessage());
        }
    }

    /**
     * The server's own send intervals over the window, one {@code upper-bound-ms<TAB>fraction} row per bucket of
     * {@code softswitch_rtp_send_interval_seconds}; nothing when the server does not have that histogram.
     */
    private static void writeSendIntervals(Path file, ServerProbe.Snapshot before, ServerProbe.Snapshot after)
            throws IOException {
        NavigableMap<Double, Double> cumulative =
                ServerProbe.bucketIncrease(before, after, "softswitch_rtp_send_interval_seconds");
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return;
        }
        double total = cumulative.lastEntry().getValue();
        StringBuilder out = new StringBuilder("ms\tfraction\n");
        double previous = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double ms = e.getKey() * 1000;
            String label = e.getKey().isInfinite()
                    ? "+Inf"
                    : ms == Math.rint(ms) ? String.valueOf((long) ms) : String.format(Locale.ROOT, "%.1f", ms);
            out.append(label)
                    .append('\t')
                    .append(String.format(Locale.ROOT, "%.6f%n", (e.getValue() - previous) / total));
            previous = e.getValue();
        }
        Files.writeString(file, out);
    }

    /** Sleeps until {@code deadline}, retransmitting and timing out SIP transactions meanwhile. */
    private static void waitUntil(long deadline, SipAgent sip) throws IOException {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            sip.tick(now, CALL_SETUP_TIMEOUT);
            LockSupport.parkNanos(Math.min(TICK_NANOS, deadline - now));
        }
        sip.tick(System.nanoTime(), CALL_SETUP_TIMEOUT);
    }

    private void report(
            List<EchoCall> calls,
            SipAgent sip,
            RtpPump pump,
            ServerProbe.Snapshot before,
            ServerProbe.Snapshot after,
            long up,
            double lateMs) {
        long sent = 0;
        long echoedInWindow = 0;
        long duplicates = 0;
        long unmarked = 0;
        long sendErrors = 0;
        Map<String, Integer> failures = new TreeMap<>();
        for (EchoCall c : calls) {
            sent += c.windowSent;
            echoedInWindow += c.windowEchoed;
            duplicates += c.duplicates;
            unmarked += c.unmarked;
            sendErrors += c.sendErrors;
            String why = c.failure;
            if (why != null) {
                failures.merge(why, 1, Integer::sum);
            }
        }
        double window = (after.nanos() - before.nanos()) / 1e9;
        put("calls", calls.size());
        put("connected", up);
        put("setup_p50_ms", sip.setupTimes().quantileMillis(0.5));
        put("setup_p99_ms", sip.setupTimes().quantileMillis(0.99));
        put("sip_retransmissions", sip.retransmissions());
        put(
                "hung_up",
                calls.stream().filter(c -> c.state == EchoCall.State.DONE).count());
        put("failed", calls.stream().filter(c -> c.state != EchoCall.State.DONE).count());
        put("failures", failures.isEmpty() ? "none" : failures.toString().replace(' ', '_'));
        put("window_s", window);
        put("rtp_sent", sent);
        put("rtp_echoed", echoedInWindow);
        put("rtp_lost", sent - echoedInWindow);
        put("loss_pct", sent == 0 ? Double.NaN : 100.0 * (sent - echoedInWindow) / sent);
        put("rtp_duplicates", duplicates);
        put("rtp_unmarked", unmarked);
        put("rtp_send_errors", sendErrors);
        put("delay_p50_ms", pump.delay.quantileMillis(0.5));
        put("delay_p99_ms", pump.delay.quantileMillis(0.99));
        put("delay_p999_ms", pump.delay.quantileMillis(0.999));
        put("delay_max_ms", pump.delay.maxMillis());
        put("spacing_p50_ms", pump.spacing.quantileMillis(0.5));
        put("spacing_p99_ms", pump.spacing.quantileMillis(0.99));
        put("generator_late_p50_ms", pump.senderLate.quantileMillis(0.5));
        put("generator_late_p99_ms", pump.senderLate.quantileMillis(0.99));
        put(
                "server_cpu_pct",
                before.cpuTicks() < 0 || after.cpuTicks() < 0
                        ? Double.NaN
                        : 100.0 * (after.cpuTicks() - before.cpuTicks()) / ServerProbe.CLOCK_TICKS / window);
        NavigableMap<Double, Double> intervals =
                ServerProbe.bucketIncrease(before, after, "softswitch_rtp_send_interval_seconds");
        double total = intervals.isEmpty() ? 0 : intervals.lastEntry().getValue();
        put("send_intervals", (long) total);
        put("send_interval_p50_ms", ServerProbe.quantile(intervals, 0.5) * 1000);
        put("send_interval_p99_ms", ServerProbe.quantile(intervals, 0.99) * 1000);
        Map.Entry<Double, Double> lateBound = intervals.ceilingEntry(0.020 + lateMs / 1000 - 1e-9);
        put("late_bound_ms", lateBound == null ? Double.NaN : lateBound.getKey() * 1000);
        put("late_packets", lateBound == null ? -1 : (long) (total - lateBound.getValue()));
        NavigableMap<Double, Double> pacerLate =
                ServerProbe.bucketIncrease(before, after, "softswitch_pacer_late_seconds");
        boolean windowed = !pacerLate.isEmpty() && pacerLate.lastEntry().getValue() > 0;
        put("pacer_late_windowed", windowed ? 1 : 0);
        put(
                "pacer_late_p50_ms",
                windowed
                        ? ServerProbe.quantile(pacerLate, 0.5) * 1000
                        : after.metrics().getOrDefault("softswitch_pacer_late_p50_seconds", Double.NaN) * 1000);
        put(
                "pacer_late_p99_ms",
                windowed
                        ? ServerProbe.quantile(pacerLate, 0.99) * 1000
                        : after.metrics().getOrDefault("softswitch_pacer_late_p99_seconds", Double.NaN) * 1000);
        put("pacer_skipped_ticks", (long) (after.metrics().getOrDefault("softswitch_pacer_skipped_ticks_total", 0.0)
                - before.metrics().getOrDefault("softswitch_pacer_skipped_ticks_total", 0.0)));
    }

    private void put(String key, Object value) {
        results.put(
                key,
                value instanceof Double d
                        ? (d.isNaN() ? "nan" : d.isInfinite() ? "inf" : String.format(Locale.ROOT, "%.3f", d))
                        : String.valueOf(value));
    }

    /** The four octets of a dotted IPv4 address: no name lookups, the load goes where it is told. */
    private static byte[] parseIpv4(String address) {
        String[] parts = DOT.split(address, -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("--server takes an IPv4 address and port, e.g. 127.0.0.1:5060");
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = (byte) Integer.parseInt(parts[i]);
        }
        return octets;
    }

    private static long seconds(String value) {
        return (long) (Double.parseDouble(value) * 1e9);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
