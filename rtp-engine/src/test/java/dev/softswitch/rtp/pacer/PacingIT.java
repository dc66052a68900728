package dev.softswitch.rtp.pacer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import dev.softswitch.rtp.session.MediaParams;
import dev.softswitch.rtp.session.MediaSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The outbound 20 ms clock measured where the far end sees it: many calls at once on a real {@link MediaEngine} and
 * pacer, each fed audio without pause by its own writer (as a talking assistant does), sending PCMU over loopback to
 * receivers that stamp every packet as it arrives. Reports the percentiles of the intervals between consecutive
 * packets of a call (to the console and {@code target/pacing-report.txt}) beside the engine's own send histogram.
 *
 * <p>Only what load cannot bend is asserted (speed is measured, not timed in tests: a shared CI machine is not a
 * benchmark): every packet arrives, the median interval is 20 ms, the clock does not drift, and the engine's histogram
 * saw what the receivers saw. Drift is the media clock (RTP timestamps) against the arrival clock, each call's earliest
 * arrival relative to its timestamp in the second second against the same in the last: a late packet cannot make that
 * smaller, and a host pause the pacer skips (its periods are not sent, their timestamps are passed over) does not
 * change it. The mean interval does change with such a pause, so it is reported, not asserted, as are the tail
 * percentiles (the receivers' own scheduling is in them); {@code bench/media.sh} measures at scale. The size is
 * {@code -Dpacing.calls=N} (200) and {@code -Dpacing.seconds=S} (5, at least 3).
 */
class PacingIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int FRAME = 160;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final int RECEIVERS = 4;

    private final int calls = Integer.getInteger("pacing.calls", 200);
    /** At least 3: drift compares the second second with the last. */
    private final int seconds = Math.max(3, Integer.getInteger("pacing.seconds", 5));

    /** Arrival times by the sending port (one per call), in arrival order; each list touched by one receiver. */
    private final Map<Integer, long[]> arrivals = new ConcurrentHashMap<>();

    /** The RTP timestamp of each of those packets, in the same order. */
    private final Map<Integer, long[]> timestamps = new ConcurrentHashMap<>();

    private final Map<Integer, Integer> counts = new ConcurrentHashMap<>();

    @Test
    void everyCallsPacketsLeaveTwentyMillisecondsApart() throws Exception {
        int low = 20_000 + 2 * ThreadLocalRandom.current().nextInt(5_000);
        InMemoryPortPool pool = new InMemoryPortPool(low, low + 4 * calls + 3);
        List<DatagramSocket> receivers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<MediaSession> sessions = new ArrayList<>();
        int expected = seconds * 50;
        try (Pacer pacer = new Pacer().start();
                MediaEngine engine = new MediaEngine(LOOPBACK, pool, 2, pacer)) {
            for (int i = 0; i < RECEIVERS; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                socket.setReceiveBufferSize(4 << 20);
                socket.setSoTimeout(200);
                receivers.add(socket);
                threads.add(Thread.ofPlatform().name("receiver-" + i).start(() -> receive(socket, expected + 10)));
            }
            for (int i = 0; i < calls; i++) {
                MediaSession session = engine.open("pacing-" + i);
                QueueMediaPort port = new QueueMediaPort(FRAME, reason -> {});
                InetSocketAddress to =
                        (InetSocketAddress) receivers.get(i % RECEIVERS).getLocalSocketAddress();
                session.start(new MediaParams(CodecInfo.PCMU, 0, -1, to, true), port);
                sessions.add(session);
                threads.add(Thread.ofVirtual().start(() -> talk(port, expected)));
            }
            for (Thread t : threads) {
                t.join(Math.max(10_000, seconds * 3_000L));
            }
            sessions.forEach(MediaSession::close);

            Report report = report(engine.sendIntervals());
            System.out.println(report.text());
            Files.writeString(Path.of("target", "pacing-report.txt"), report.text(), StandardCharsets.UTF_8);

            assertThat(counts).as("every call's packets arrived").hasSize(calls);
            assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(expected));
            assertThat(report.p50()).as("median interval, ms").isBetween(19.0, 21.0);
            // A clock that loses 0.1 ms a period would show 15 ms over the 3 s between the windows.
            assertThat(report.medianDrift())
                    .as("median drift of the media clock from the arrival clock over the call, ms")
                    .isBetween(-5.0, 5.0);
            assertThat(report.sent())
                    .as("the engine's histogram saw the intervals the receivers saw")
                    .isGreaterThanOrEqualTo(report.received() * 95 / 100);
        } finally {
            threads.forEach(Thread::interrupt);
            receivers.forEach(DatagramSocket::close);
        }
    }

    /** An assistant that talks without pause: {@code frames} frames of a tone, as fast as the port takes them. */
    private static void talk(QueueMediaPort port, int frames) {
        ToneGenerator tone = new ToneGenerator(440, 8000, 0.3);
        try {
            for (int i = 0; i < frames; i++) {
                port.write(tone.next(FRAME));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stamps each packet on arrival; stops when every call it serves sent {@code perCall} packets or it goes quiet. */
    private void receive(DatagramSocket socket, int perCall) {
        byte[] buf = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        int quietSpells = 0;
        while (!socket.isClosed() && quietSpells < 10) {
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                quietSpells++;
                continue;
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            quietSpells = 0;
            long now = System.nanoTime();
            int from = packet.getPort();
            if ((from & 1) == 1) {
                continue; // RTCP, from the odd port above a call's RTP port
            }
            int n = counts.merge(from, 1, Integer::sum);
            long[] times = arrivals.computeIfAbsent(from, k -> new long[perCall + 64]);
            long[] stamps = timestamps.computeIfAbsent(from, k -> new long[perCall + 64]);
            if (n <= times.length) {
                times[n - 1] = now;
                stamps[n - 1] =
                        ((buf[4] & 0xffL) << 24) | ((buf[5] & 0xff) << 16) | ((buf[6] & 0xff) << 8) | (buf[7] & 0xff);
            }
        }
    }

    private record Report(String text, double p50, double medianDrift, long received, long sent) {}

    /**
     * How far a call's arrivals moved from its media clock between its second second and its last, in ms: the least
     * of (arrival - timestamp / 8 kHz) over each, last minus first. Positive when packets came ever later. The first
     * second is left out: 200 calls starting at once on a busy machine can make all of its packets late.
     */
    private static double drift(long[] times, long[] stamps, int n) {
        long window = 1_000_000_000L;
        double first = Double.MAX_VALUE;
        double last = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double offset = (times[i] - times[0]) / 1e6 - ((stamps[i] - stamps[0]) & 0xffff_ffffL) / 8.0;
            long since = times[i] - times[0];
            if (since >= window && since < 2 * window) {
                first = Math.min(first, offset);
            }
            if (times[n - 1] - times[i] < window) {
                last = Math.min(last, offset);
            }
        }
        return last - first;
    }

    private Report report(SendIntervals sent) {
        List<Long> intervals = new ArrayList<>();
        List<Double> drifts = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : arrivals.entrySet()) {
            int n = Math.min(counts.get(e.getKey()), e.getValue().length);
            long[] times = e.getValue();
            for (int i = 1; i < n; i++) {
                intervals.add(times[i] - times[i - 1]);
            }
            drifts.add(drift(times, timestamps.get(e.getKey()), n));
        }
        double[] drift =
                drifts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long[] sorted = intervals.stream().mapToLong(Long::longValue).sorted().toArray();
        double[] deviation = Arrays.stream(sorted)
                .mapToDouble(v -> Math.abs(v - FRAME_NANOS) / 1e6)
                .sorted()
                .toArray();
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "pacing: %d calls x %d s of PCMU, %d intervals received (%d cores, JDK %s)%n",
                calls,
                seconds,
                sorted.length,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version()));
        text.append("  interval ms      p0.1 %7.3f  p1 %7.3f  p50 %7.3f  p99 %7.3f  p99.9 %7.3f  max %7.3f%n"
                .formatted(
                        ms(sorted, 0.001),
                        ms(sorted, 0.01),
                        ms(sorted, 0.5),
                        ms(sorted, 0.99),
                        ms(sorted, 0.999),
                        sorted[sorted.length - 1] / 1e6));
        text.append("  mean interval    %.4f ms%n"
                .formatted(Arrays.stream(sorted).average().orElse(0) / 1e6));
        text.append("  drift ms         min %7.3f  p50 %7.3f  max %7.3f  (media clock against arrivals, per call)%n"
                .formatted(drift[0], at(drift, 0.5), drift[drift.length - 1]));
        text.append("  |dev| ms         p50 %7.3f  p99 %7.3f  p99.9 %7.3f  max %7.3f%n"
                .formatted(
                        at(deviation, 0.5),
                        at(deviation, 0.99),
                        at(deviation, 0.999),
                        deviation[deviation.length - 1]));
        text.append("  sent (engine)    %d intervals, buckets (le ms: count) ".formatted(sent.count()));
        double[] bounds = SendIntervals.boundsSeconds();
        long[] c = sent.counts();
        for (int i = 0; i < c.length; i++) {
            if (c[i] > 0) {
                text.append(i < bounds.length ? "%.1f".formatted(bounds[i] * 1e3) : "+Inf")
                        .append(": ")
                        .append(c[i])
                        .append("  ");
            }
        }
        text.append(System.lineSeparator());
        return new Report(text.toString(), ms(sorted, 0.5), at(drift, 0.5), sorted.length, sent.count());
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static double at(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
