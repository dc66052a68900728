package dev.softswitch.rtp.session;

import dev.softswitch.rtp.packet.ReportBlock;
import dev.softswitch.rtp.packet.RtcpCompound;
import dev.softswitch.rtp.packet.RtcpPacket;
import dev.softswitch.rtp.packet.RtcpParseException;
import dev.softswitch.rtp.packet.RtcpReport;
import dev.softswitch.rtp.packet.SenderInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTCP (RFC 3550 6): when to report, what to report about the caller's stream, and what the caller's
 * reports say about ours.
 *
 * <p>Threads: {@link #due} and {@link #write} run on the pacer thread and keep the interval state to themselves;
 * {@link #onPacket} runs on the event loop of whichever socket RTCP arrives on. The two sides meet only in volatile
 * fields: the caller's last SR (for LSR/DLSR), where its RTCP comes from, and what its reports said.
 */
final class RtcpSession {

    /** RFC 3550 6.2: the minimum interval between reports, 5 s, as pacer ticks of 20 ms. */
    static final int INTERVAL_TICKS = 250;

    /** Room for an SR with one block and an SDES CNAME. */
    static final int MAX_REPORT = 128;

    private static final Logger log = LoggerFactory.getLogger(RtcpSession.class);

    private final long ssrc;
    private final String cname;
    private final InstantSource clock;

    // pacer thread only
    private long nextTick = -1;
    private long sentAtLastReport;
    private long expectedPrior;
    private long receivedPrior;

    // event loop(s) -> pacer thread and readers
    /** The caller's last Sender Report: its NTP middle 32 bits and when it arrived. */
    private record LastSr(long ntpMiddle, Instant arrived) {}

    private volatile @Nullable LastSr lastSr;
    private volatile @Nullable InetSocketAddress source;
    /** What the caller's reports said: written by the one event loop RTCP arrives on. */
    private record Remote(double rttMillis, double fractionLost, long cumulativeLost) {}

    private volatile Remote remote = new Remote(Double.NaN, Double.NaN, 0);
    private final AtomicLong reportsSent = new AtomicLong();
    private final AtomicLong reportsReceived = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    RtcpSession(long ssrc, InstantSource clock) {
        this.ssrc = ssrc;
        this.clock = clock;
        // RFC 7022 4.2: a random CNAME of 96 bits, new for each call, that says nothing about the host.
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        this.cname = Base64.getEncoder().encodeToString(random);
    }

    String cname() {
        return cname;
    }

    // ---- pacer thread ----

    /**
     * Whether a report is due at {@code tick}. RFC 3550 6.3.1: each interval is the 5 s minimum times a random factor
     * in 0.5..1.5, and (6.2) the first may be half the minimum. Two parties never approach the 5% bandwidth share,
     * so the minimum always applies and no reconsideration is needed.
     */
    boolean due(long tick) {
        if (nextTick < 0) {
            nextTick = tick + interval(INTERVAL_TICKS / 2);
            return false;
        }
        return tick >= nextTick;
    }

    /**
     * Writes the next compound report into {@code buf} and schedules the one after: an SR when we sent RTP since the
     * last report (else an RR), a block about the caller's stream once we heard it, and our CNAME.
     *
     * @param packetsSent RTP packets we sent in all
     * @param octetsSent RTP payload octets we sent in all
     * @param rtpTimestamp our RTP timestamp for this moment
     * @return the length written
     */
    int write(byte[] buf, long tick, long packetsSent, long octetsSent, long rtpTimestamp, ReceptionStats caller) {
        nextTick = tick + interval(INTERVAL_TICKS);
        Instant now = clock.instant();
        ReportBlock block = caller.heard() ? block(caller, now) : null;
        boolean sender = packetsSent != sentAtLastReport;
        sentAtLastReport = packetsSent;
        int at = sender
                ? RtcpPacket.writeSenderReport(
                        buf,
                        0,
                        ssrc,
                        new SenderInfo(
                                RtcpPacket.ntpTimestamp(now),
                                rtpTimestamp,
                                packetsSent & 0xffff_ffffL,
                                octetsSent & 0xffff_ffffL),
                        block)
                : RtcpPacket.writeReceiverReport(buf, 0, ssrc, block);
        at = RtcpPacket.writeSdesCname(buf, at, ssrc, cname);
        reportsSent.incrementAndGet();
        return at;
    }

    /** RFC 3550 6.4.1 and A.3: the report block about the caller's stream. */
    private ReportBlock block(ReceptionStats caller, Instant now) {
        long expected = caller.expected();
        long received = caller.received();
        long expectedInterval = expected - expectedPrior;
        long lostInterval = expectedInterval - (received - receivedPrior);
        expectedPrior = expected;
        receivedPrior = received;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long cumulative =
                Math.max(ReportBlock.MIN_CUMULATIVE_LOST, Math.min(ReportBlock.MAX_CUMULATIVE_LOST, caller.lost()));
        LastSr sr = lastSr;
        long lsr = 0;
        long dlsr = 0;
        if (sr != null) {
            lsr = sr.ntpMiddle();
            // DLSR in units of 1/65536 s.
            long nanos = Math.max(0, Duration.between(sr.arrived(), now).toNanos());
            dlsr = Math.min(0xffff_ffffL, (nanos << 16) / 1_000_000_000L);
        }
        return new ReportBlock(
                caller.ssrc(),
                Math.min(fraction, 255),
                (int) cumulative,
                caller.extendedHighestSequence() & 0xffff_ffffL,
                Math.min(caller.jitterUnits(), 0xffff_ffffL),
                lsr,
                dlsr);
    }

    private static long interval(int ticks) {
        return Math.max(1, Math.round(ticks * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }

    /** Where the caller's RTCP comes from, once it has sent some: symmetric RTCP answers there (RFC 4961). */
    @Nullable
    InetSocketAddress source() {
        return source;
    }

    // ---- event loop ----

    /**
     * Takes one datagram of RTCP from the caller: an SR is remembered for LSR/DLSR; a report block about our stream
     * gives the round-trip time (RFC 3550 6.4.1: A - LSR - DLSR) and the loss the caller sees.
     */
    void onPacket(byte[] buf, int length, InetSocketAddress from) {
        RtcpCompound compound;
        try {
            compound = RtcpPacket.parse(buf, length);
        } catch (RtcpParseException e) {
            drop(e.getMessage());
            return;
        }
        Instant now = clock.instant();
        reportsReceived.incrementAndGet();
        source = from;
        Remote before = remote;
        double rtt = before.rttMillis();
        double fraction = before.fractionLost();
        long cumulative = before.cumulativeLost();
        for (RtcpReport report : compound.reports()) {
            SenderInfo info = report.sender();
            if (info != null) {
                lastSr = new LastSr(info.ntpMiddle(), now);
            }
            ReportBlock ours = report.blockAbout(ssrc);
            if (ours != null) {
                fraction = ours.fractionLostRatio();
                cumulative = ours.cumulativeLost();
                if (ours.lastSr() != 0) {
                    long a = RtcpPacket.ntpMiddle(RtcpPacket.ntpTimestamp(now));
                    long units = (a - ours.lastSr() - ours.delaySinceLastSr()) & 0xffff_ffffL;
                    if (units < 0x8000_0000L) { // a negative round trip is a broken report: keep the last one
                        rtt = units * 1000.0 / 65536.0;
                    }
                }
            }
        }
        remote = new Remote(rtt, fraction, cumulative);
    }

    /** Counts a datagram that is not RTCP from the caller, and drops it. */
    void drop(@Nullable String why) {
        dropped.incrementAndGet();
        log.debug("RTCP dropped: {}", why);
    }

    RtcpStats stats() {
        Remote r = remote;
        return new RtcpStats(
                reportsSent.get(),
                reportsReceived.get(),
                dropped.get(),
                r.rttMillis(),
                r.fractionLost(),
                r.cumulativeLost());
    }
}
