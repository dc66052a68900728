package dev.softswitch.rtp.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.packet.ReportBlock;
import dev.softswitch.rtp.packet.RtcpCompound;
import dev.softswitch.rtp.packet.RtcpPacket;
import dev.softswitch.rtp.packet.RtcpParseException;
import dev.softswitch.rtp.packet.RtcpReport;
import dev.softswitch.rtp.packet.RtpPacket;
import dev.softswitch.rtp.packet.SenderInfo;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call's RTCP (RFC 3550 6.4, RFC 5761) on a real {@link MediaEngine} bound to 127.0.0.1, against plain sockets
 * playing the caller. The test ticks the pacer and moves the wallclock by hand, so report timing, LSR/DLSR and the
 * round-trip time are exact.
 */
class MediaSessionRtcpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int FRAME = 160;
    private static final long CALLER_SSRC = 0x5ca1ab1eL;
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Ticks within which a report must come: 1.5 times the 5 s interval, and a little. */
    private static final int MAX_TICKS = 400;

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-05-01T12:00:00Z"));
    private InMemoryPortPool pool;
    private Pacer pacer;
    private MediaEngine engine;
    private QueueMediaPort port;
    private long tick;

    @BeforeEach
    void startEngine() {
        pool = new InMemoryPortPool(42400, 42500);
        pacer = new Pacer();
        engine = new MediaEngine(LOOPBACK, pool, 1, pacer, now::get);
        port = new QueueMediaPort(FRAME, reason -> {});
    }

    @AfterEach
    void stopEngine() {
        sockets.forEach(DatagramSocket::close);
        engine.close();
        pacer.close();
    }

    @Test
    void reportsTheCallersStreamOnThePortAboveAndMeasuresTheRoundTripFromItsAnswer() throws Exception {
        DatagramSocket[] pair = callerPair();
        DatagramSocket callerRtp = pair[0];
        DatagramSocket callerRtcp = pair[1];
        MediaSession session = engine.open("call-rtcp");
        session.start(new MediaParams(CodecInfo.PCMU, 0, -1, address(callerRtp), true), port);
        byte[] first = receive(callerRtp); // the silence burst: the receive side is ready
        long ourSsrc = RtpPacket.ssrc(first);

        // Ten packets sent, 105 and 106 lost on the way.
        for (int seq = 100; seq < 110; seq++) {
            if (seq != 105 && seq != 106) {
                sendTo(callerRtp, session.localPort(), rtp(seq, (seq - 100) * 160L));
            }
        }
        await().atMost(WAIT).until(() -> session.reception().expected() == 10);

        // The caller's SR, to the port above ours.
        long callerNtp = RtcpPacket.ntpTimestamp(now.get().minusSeconds(30)); // its clock need not match ours
        byte[] sr = new byte[64];
        int srLength = RtcpPacket.writeSenderReport(sr, 0, CALLER_SSRC, new SenderInfo(callerNtp, 800, 8, 1280), null);
        sendTo(callerRtcp, session.localPort() + 1, Arrays.copyOf(sr, srLength));
        await().atMost(WAIT).until(() -> session.rtcp().reportsReceived() == 1);
        advance(Duration.ofMillis(1500));

        Report ours = tickUntilReport(session, callerRtcp);
        assertEquals(session.localPort() + 1, ours.fromPort(), "sent from our RTCP port");
        RtcpReport report = ours.compound().reports().get(0);
        assertEquals(ourSsrc, report.ssrc());
        assertEquals(
                new SenderInfo(
                        RtcpPacket.ntpTimestamp(now.get()), report.sender().rtpTimestamp(), 5, 5 * FRAME),
                report.sender(),
                "an SR: we sent the five silent frames");
        ReportBlock block = report.blockAbout(CALLER_SSRC);
        assertNotNull(block, "a block about the caller's stream");
        assertEquals(109, block.extendedHighestSequence());
        assertEquals(2, block.cumulativeLost());
        assertEquals(2 * 256 / 10, block.fractionLost());
        assertEquals(RtcpPacket.ntpMiddle(callerNtp), block.lastSr(), "LSR: the middle of the caller's SR's NTP");
        assertEquals(0x18000L, block.delaySinceLastSr(), "DLSR: 1.5 s in 1/65536 s");
        assertEquals(16, ours.compound().cnames().get(ourSsrc).length(), "a random CNAME (RFC 7022)");

        // The caller holds our SR 250 ms before it answers; the answer takes 50 ms more to arrive.
        advance(Duration.ofMillis(300));
        byte[] rr = new byte[64];
        int rrLength = RtcpPacket.writeReceiverReport(
                rr,
                0,
                CALLER_SSRC,
                new ReportBlock(
                        ourSsrc,
                        26,
                        3,
                        4,
                        0,
                        RtcpPacket.ntpMiddle(report.sender().ntpTimestamp()),
                        0x4000));
        sendTo(callerRtcp, session.localPort() + 1, Arrays.copyOf(rr, rrLength));
        await().atMost(WAIT).until(() -> session.rtcp().hasRtt());

        RtcpStats stats = session.rtcp();
        assertEquals(50.0, stats.rttMillis(), 0.1, "A - LSR - DLSR");
        assertEquals(26 / 256.0, stats.remoteFractionLost());
        assertEquals(3, stats.remoteCumulativeLost());
        assertEquals(2, stats.reportsReceived());

        // No RTP sent since: the next report is an RR, with no new loss in its interval.
        Report next = tickUntilReport(session, callerRtcp);
        RtcpReport rr2 = next.compound().reports().get(0);
        assertFalse(rr2.isSenderReport());
        assertEquals(0, rr2.blockAbout(CALLER_SSRC).fractionLost());
        assertEquals(2, rr2.blockAbout(CALLER_SSRC).cumulativeLost());

        int rtpPort = session.localPort();
        session.close();
        await().atMost(WAIT).until(() -> pool.leased() == 0 && engine.openSessions() == 0);
        new DatagramSocket(new InetSocketAddress(LOOPBACK, rtpPort + 1)).close(); // the RTCP port is free again
    }

    @Test
    void garbageOnTheRtcpPortIsCountedAndDropped() throws Exception {
        DatagramSocket caller = socketOn(0);
        MediaSession session = engine.open("call-garbage");
        session.start(new MediaParams(CodecInfo.PCMU, 0, -1, address(caller), true), port);
        receive(caller);

        sendTo(caller, session.localPort() + 1, new byte[] {(byte) 0x40, (byte) 201, 0, 1, 0, 0, 0, 7});

        await().atMost(WAIT).until(() -> session.rtcp().dropped() == 1);
        assertEquals(0, session.rtcp().reportsReceived());
        session.close();
    }

    @Test
    void withRtcpMuxReportsShareTheRtpPortBothWays() throws Exception {
        DatagramSocket caller = socketOn(0);
        MediaSession session = engine.open("call-mux", true);
        session.start(new MediaParams(CodecInfo.PCMU, 0, -1, address(caller), true), port);
        long ourSsrc = RtpPacket.ssrc(receive(caller));
        // Nothing listens on the port above.
        new DatagramSocket(new InetSocketAddress(LOOPBACK, session.localPort() + 1)).close();

        for (int seq = 0; seq < 5; seq++) {
            sendTo(caller, session.localPort(), rtp(seq, seq * 160L));
        }
        long callerNtp = RtcpPacket.ntpTimestamp(now.get());
        byte[] sr = new byte[64];
        int srLength = RtcpPacket.writeSenderReport(sr, 0, CALLER_SSRC, new SenderInfo(callerNtp, 0, 5, 800), null);
        sendTo(caller, session.localPort(), Arrays.copyOf(sr, srLength));
        await().atMost(WAIT).until(() -> session.rtcp().reportsReceived() == 1);
        assertEquals(5, session.stats().packetsReceived(), "RTCP is not taken for RTP");
        assertEquals(0, session.stats().droppedInvalid() + session.stats().droppedPayloadType());

        Report ours = tickUntilReport(session, caller);
        assertEquals(session.localPort(), ours.fromPort());
        RtcpReport report = ours.compound().reports().get(0);
        assertEquals(4, report.blockAbout(CALLER_SSRC).extendedHighestSequence());
        assertEquals(0, report.blockAbout(CALLER_SSRC).cumulativeLost());

        advance(Duration.ofMillis(120));
        byte[] rr = new byte[64];
        int rrLength = RtcpPacket.writeReceiverReport(
                rr,
                0,
                CALLER_SSRC,
                new ReportBlock(
                        ourSsrc,
                        0,
                        0,
                        4,
                        0,
                        RtcpPacket.ntpMiddle(report.sender().ntpTimestamp()),
                        0x1000));
        sendTo(caller, session.localPort(), Arrays.copyOf(rr, rrLength));
        await().atMost(WAIT).until(() -> session.rtcp().hasRtt());
        assertEquals(120 - 62.5, session.rtcp().rttMillis(), 0.1);

        session.close();
        await().atMost(WAIT).until(() -> pool.leased() == 0 && engine.openSessions() == 0);
    }

    @Test
    void theCallsEndSaysByeOnRtcp() throws Exception {
        DatagramSocket[] pair = callerPair();
        MediaSession session = engine.open("call-bye");
        session.start(new MediaParams(CodecInfo.PCMU, 0, -1, address(pair[0]), true), port);
        long ourSsrc = RtpPacket.ssrc(receive(pair[0]));

        session.close();

        DatagramPacket d = new DatagramPacket(new byte[1500], 1500);
        pair[1].receive(d);
        RtcpCompound last = RtcpPacket.parse(d.getData(), d.getLength());
        assertEquals(List.of(ourSsrc), last.bye(), "a BYE for our source");
        assertEquals(ourSsrc, last.reports().get(0).ssrc(), "after a final report");
        await().atMost(WAIT).until(() -> pool.leased() == 0 && engine.openSessions() == 0);
    }

    // ---- helpers ----

    private record Report(int fromPort, RtcpCompound compound) {}

    /** Ticks until the session sends a report, then reads it (skipping RTP on a multiplexed socket). */
    private Report tickUntilReport(MediaSession session, DatagramSocket to) throws IOException, RtcpParseException {
        long before = session.rtcp().reportsSent();
        for (int i = 0; i < MAX_TICKS && session.rtcp().reportsSent() == before; i++) {
            pacer.tickOnce(++tick);
        }
        assertTrue(session.rtcp().reportsSent() > before, "a report within " + MAX_TICKS + " ticks");
        while (true) {
            DatagramPacket d = new DatagramPacket(new byte[1500], 1500);
            to.receive(d);
            byte[] data = Arrays.copyOf(d.getData(), d.getLength());
            if (RtcpPacket.isRtcp(data, data.length)) {
                return new Report(d.getPort(), RtcpPacket.parse(data, data.length));
            }
        }
    }

    private void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** Ticks once and reads the first RTP packet the session sends. */
    private byte[] receive(DatagramSocket s) throws IOException {
        pacer.tickOnce(++tick);
        DatagramPacket d = new DatagramPacket(new byte[1500], 1500);
        s.receive(d);
        return Arrays.copyOf(d.getData(), d.getLength());
    }

    /** Two sockets on an even port and the odd one above it, as a caller's RTP and RTCP. */
    private DatagramSocket[] callerPair() throws SocketException {
        for (int p = 43000; p < 43100; p += 2) {
            DatagramSocket rtp = socketOn(p);
            if (!rtp.isBound()) {
                continue;
            }
            DatagramSocket rtcp = socketOn(p + 1);
            if (rtcp.isBound()) {
                return new DatagramSocket[] {rtp, rtcp};
            }
        }
        throw new IllegalStateException("no free port pair for the caller");
    }

    private DatagramSocket socketOn(int localPort) throws SocketException {
        DatagramSocket s = new DatagramSocket(null);
        sockets.add(s);
        s.setSoTimeout((int) WAIT.toMillis());
        try {
            s.bind(new InetSocketAddress(LOOPBACK, localPort));
        } catch (SocketException taken) {
            // left unbound: the caller of this method tries another
        }
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    private static void sendTo(DatagramSocket from, int toPort, byte[] datagram) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, toPort));
    }

    private static byte[] rtp(int sequence, long timestamp) {
        byte[] p = new byte[RtpPacket.FIXED_HEADER + FRAME];
        int at = RtpPacket.writeHeader(p, 0, 0, false, sequence, timestamp, CALLER_SSRC);
        Arrays.fill(p, at, p.length, (byte) 0xff);
        return p;
    }
}
