package dev.softswitch.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -cp benchmarks.jar dev.softswitch.bench.report.JmhTable results.json}: prints JMH's JSON results as a
 * markdown table, ns per operation (one 20 ms frame, or one message) beside the target of issue 10 where it has one.
 * With a second argument, also writes there a tab-separated table of each targeted benchmark's score as a percentage of
 * its target, for {@link Chart}.
 */
public final class JmhTable {

    /** Targets in ns per operation, by benchmark class and method. */
    private static final Map<String, Double> TARGETS = Map.of(
            "G711Benchmark.ulawEncode", 200.0,
            "G711Benchmark.ulawDecode", 200.0,
            "G711Benchmark.alawEncode", 200.0,
            "G711Benchmark.alawDecode", 200.0,
            "G722Benchmark.encode", 20_000.0,
            "G722Benchmark.decode", 15_000.0,
            "ResampleBenchmark.upsample8to16", 3_000.0,
            "ResampleBenchmark.downsample16to8", 3_000.0);

    /** Labels short enough for the chart's axis. */
    private static final Map<String, String> SHORT = Map.of(
            "G711Benchmark.ulawEncode", "ulaw enc",
            "G711Benchmark.ulawDecode", "ulaw dec",
            "G711Benchmark.alawEncode", "alaw enc",
            "G711Benchmark.alawDecode", "alaw dec",
            "G722Benchmark.encode", "G722 enc",
            "G722Benchmark.decode", "G722 dec",
            "ResampleBenchmark.upsample8to16", "8k->16k",
            "ResampleBenchmark.downsample16to8", "16k->8k");

    private static final Map<String, String> WHAT = Map.ofEntries(
            Map.entry("G711Benchmark.ulawEncode", "G.711 mu-law encode, 20 ms frame"),
            Map.entry("G711Benchmark.ulawDecode", "G.711 mu-law decode, 20 ms frame"),
            Map.entry("G711Benchmark.alawEncode", "G.711 A-law encode, 20 ms frame"),
            Map.entry("G711Benchmark.alawDecode", "G.711 A-law decode, 20 ms frame"),
            Map.entry("G722Benchmark.encode", "G.722 encode, 20 ms frame"),
            Map.entry("G722Benchmark.decode", "G.722 decode, 20 ms frame"),
            Map.entry("ResampleBenchmark.upsample8to16", "resample 8 -> 16 kHz, 20 ms frame"),
            Map.entry("ResampleBenchmark.downsample16to8", "resample 16 -> 8 kHz, 20 ms frame"),
            Map.entry("RtpPacketBenchmark.parse", "RTP view: validate + read header of a datagram"),
            Map.entry("RtpPacketBenchmark.writeHeader", "RTP view: write a header"),
            Map.entry("SdpBenchmark.parse", "SDP: parse a softphone offer"),
            Map.entry("SdpBenchmark.negotiate", "SDP: offer/answer negotiation"),
            Map.entry("SdpBenchmark.parseNegotiateWrite", "SDP: parse + negotiate + write answer"),
            Map.entry("PreParseBenchmark.invite", "SIP pre-parse check: INVITE with SDP"),
            Map.entry("PreParseBenchmark.bye", "SIP pre-parse check: BYE"));

    private JmhTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: JmhTable results.json [percent-of-target.tsv]");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        StringBuilder out = new StringBuilder();
        StringBuilder chart = new StringBuilder("benchmark\tmeasured\ttarget\n");
        out.append("| benchmark | what | ns/op | +/- (99.9%) | target ns/op | met | allocated B/op |\n");
        out.append("|---|---|---:|---:|---:|---|---:|\n");
        for (JsonNode result : results) {
            String name = result.path("benchmark").asText();
            String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode metric = result.path("primaryMetric");
            double score = metric.path("score").asDouble();
            double error = metric.path("scoreError").asDouble(Double.NaN);
            Double target = TARGETS.get(key);
            JsonNode allocated =
                    result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s |%n",
                    key,
                    WHAT.getOrDefault(key, ""),
                    number(score),
                    Double.isNaN(error) ? "n/a" : number(error),
                    target == null ? "-" : number(target),
                    target == null ? "-" : score <= target ? "yes" : "no (" + ratio(score / target) + ")",
                    allocated.isMissingNode() ? "n/a" : String.format(Locale.ROOT, "%.0f", allocated.asDouble())));
            if (target != null) {
                chart.append(SHORT.getOrDefault(key, key)).append('\t');
                chart.append(String.format(Locale.ROOT, "%.1f\t100%n", 100 * score / target));
            }
        }
        System.out.print(out);
        if (args.length == 2) {
            Files.writeString(Path.of(args[1]), chart, StandardCharsets.UTF_8);
        }
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.1fx", r);
    }
}
