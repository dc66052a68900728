package dev.softswitch.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Readings of the server under load, taken at the start and the end of the measured window: its CPU time from
 * {@code /proc/PID/stat} and its {@code /metrics} (Prometheus text). Either may be absent.
 */
final class ServerProbe {

    /** Clock ticks per second of {@code /proc/PID/stat} times (USER_HZ, 100 on Linux). */
    static final double CLOCK_TICKS = 100.0;

    private static final Pattern SPACE = Pattern.compile(" ");
    private static final Pattern NEWLINE = Pattern.compile("\n");

    private final long pid;
    private final @Nullable URI metrics;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One reading. */
    record Snapshot(long nanos, long cpuTicks, Map<String, Double> metrics) {}

    ServerProbe(long pid, @Nullable URI metrics) {
        this.pid = pid;
        this.metrics = metrics;
    }

    Snapshot take() {
        return new Snapshot(System.nanoTime(), cpuTicks(), scrape());
    }

    /** utime + stime of the process (all its threads), or -1. */
    private long cpuTicks() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = SPACE.split(stat.substring(stat.lastIndexOf(')') + 2), -1);
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Every sample of the exposition, keyed by name and labels as written ({@code a_bucket{le="0.02"}}). */
    private Map<String, Double> scrape() {
        if (metrics == null) {
            return Map.of();
        }
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Double> samples = new HashMap<>();
            for (String line : NEWLINE.split(response.body(), -1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                if (space > 0) {
                    try {
                        samples.put(line.substring(0, space), value(line.substring(space + 1)));
                    } catch (NumberFormatException e) {
                        // a value we do not read
                    }
                }
            }
            return samples;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** A sample's value in the text format: a float, {@code +Inf}, {@code -Inf} or {@code NaN}. */
    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /**
     * The increase of a histogram's cumulative buckets between two readings, by upper bound in seconds ({@code +Inf}
     * as {@link Double#POSITIVE_INFINITY}); empty when the server does not have the histogram.
     */
    static NavigableMap<Double, Double> bucketIncrease(Snapshot before, Snapshot after, String histogram) {
        TreeMap<Double, Double> out = new TreeMap<>();
        String prefix = histogram + "_bucket{";
        for (Map.Entry<String, Double> e : after.metrics().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            int le = key.indexOf("le=\"");
            if (le < 0) {
                continue;
            }
            String bound = key.substring(le + 4, key.indexOf('"', le + 4));
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            out.put(upper, e.getValue() - before.metrics().getOrDefault(key, 0.0));
        }
        return out;
    }

    /** The upper bound (seconds) under which {@code quantile} of a cumulative bucket increase falls; NaN if empty. */
    static double quantile(NavigableMap<Double, Double> cumulative, double quantile) {
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double wanted = quantile * cumulative.lastEntry().getValue();
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= wanted) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
