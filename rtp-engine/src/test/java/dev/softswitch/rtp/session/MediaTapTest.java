package dev.softswitch.rtp.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.AudioDecoder;
import dev.softswitch.codecs.AudioEncoder;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.packet.RtpPacket;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link MediaTap} of one call on a real {@link MediaEngine} bound to 127.0.0.1, a plain {@link DatagramSocket}
 * playing the caller. As in {@code MediaSessionTest} the pacer is never started: the test ticks it, so each tick the
 * tap sees is one the test made.
 */
class MediaTapTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int TELEPHONE_EVENT = 101;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final Recorded tap = new Recorded();
    private InMemoryPortPool pool;
    private Pacer pacer;
    private MediaEngine engine;
    private long tick;

    @BeforeEach
    void startEngine() {
        pool = new InMemoryPortPool(42400, 42500);
        pacer = new Pacer();
        // Each packet's own fate is what these tests follow; MediaSessionJitterTest covers the jitter buffer.
        engine = new MediaEngine(LOOPBACK, pool, 1, pacer).jitterBuffer(false);
    }

    @AfterEach
    void stopEngine() {
        sockets.forEach(DatagramSocket::close);
        engine.close();
        pacer.close();
    }

    // ---- the tests ----

    @Test
    void theTapHearsEachCallerFrameWithTheTickItArrivedAtBeforeTheAssistantDoes() throws Exception {
        DatagramSocket caller = socket();
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        MediaSession session = start(caller, CodecInfo.PCMU, port, true);
        awaitReceiving(caller); // tick 1
        tick();
        tick(); // tick 3

        ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
        for (int i = 0; i < 3; i++) {
            send(caller, session, rtp(0, 100 + i, 160L * i, encode(CodecInfo.PCMU, tone.next(160))));
        }
        for (int i = 0; i < 3; i++) {
            short[] toAssistant = port.read(WAIT);
            assertNotNull(toAssistant, "frame " + i);
            assertTrue(tap.heard.size() > i, "the tap saw frame " + i + " before the assistant got it");
            assertArrayEquals(toAssistant, tap.heard.get(i).frame(), "the tap heard what the assistant hears");
        }
        tick(); // tick 4
        send(caller, session, rtp(0, 103, 480, encode(CodecInfo.PCMU, tone.next(160))));
        assertNotNull(port.read(WAIT));

        assertEquals(
                List.of(3L, 3L, 3L, 4L), tap.heard.stream().map(Frame::tick).toList());
        for (Frame f : tap.heard) {
            assertEquals(160, f.frame().length, "20 ms at 8 kHz");
            double at1000 = Goertzel.relativePower(f.frame(), 0, 160, 1000, 8000);
            assertTrue(at1000 > 0.9, "heard at 1000 Hz: " + at1000);
        }
        assertEquals(List.of(), tap.said, "the assistant said nothing; the silence burst is not its audio");
    }

    @Test
    void theTapSeesOnlyTheAssistantsFramesThatWereSentWithTheirTicks() throws Exception {
        DatagramSocket caller = socket();
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        start(caller, CodecInfo.PCMU, port, true);
        for (int i = 0; i < 5; i++) {
            tick(); // ticks 1-5: the silence burst
        }
        receive(caller, 5);
        tick(); // tick 6: nothing queued, nothing sent

        ToneGenerator tone = new ToneGenerator(440, 8000, 0.5);
        List<short[]> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(tone.next(160));
            port.write(queued.get(i));
        }
        tick();
        tick();
        tick(); // ticks 7-9
        tick(); // tick 10: quiet again
        List<short[]> received = receive(caller, 3);

        assertEquals(List.of(7L, 8L, 9L), tap.said.stream().map(Frame::tick).toList());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(queued.get(i), tap.said.get(i).frame(), "frame " + i + " as the assistant queued it");
            double sent = Goertzel.relativePower(received.get(i), 0, 160, 440, 8000);
            assertTrue(sent > 0.9, "and the caller got it: " + sent);
        }
        assertEquals(List.of(), tap.heard);
    }

    @Test
    void onHoldNothingIsSentSoTheTapSeesNothingSaid() throws Exception {
        DatagramSocket caller = socket();
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        MediaSession session = start(caller, CodecInfo.PCMU, port, false);

        ToneGenerator tone = new ToneGenerator(440, 8000, 0.5);
        for (int i = 0; i < 3; i++) {
            port.write(tone.next(160));
        }
        for (int i = 0; i < 8; i++) {
            tick();
        }

        assertEquals(0, session.stats().packetsSent());
        assertEquals(List.of(), tap.said, "consumed on time but never sent: not said");
    }

    @Test
    void onG722TheTapGetsSixteenKilohertzFrames() throws Exception {
        DatagramSocket caller = socket();
        QueueMediaPort port = QueueMediaPort.between(16000, 16000, QueueMediaPort.DEFAULT_TO_CALLER_FRAMES, r -> {});
        MediaSession session = start(caller, CodecInfo.G722, port, true);
        awaitReceiving(caller);

        ToneGenerator heard = new ToneGenerator(6000, 16000, 0.4); // only wideband audio carries 6 kHz
        AudioEncoder encoder = Codecs.encoder(CodecInfo.G722);
        for (int i = 0; i < 5; i++) {
            short[] pcm = heard.next(320);
            byte[] payload = new byte[160];
            encoder.encode(pcm, 0, pcm.length, payload, 0);
            send(caller, session, rtp(9, 500 + i, 160L * i, payload));
        }
        ToneGenerator said = new ToneGenerator(440, 16000, 0.4);
        for (int i = 0; i < 5; i++) {
            port.write(said.next(320));
        }
        await().atMost(WAIT).until(() -> tap.heard.size() == 5);
        for (int i = 0; i < 5; i++) {
            tick();
        }

        short[] callerSide = join(tap.heard);
        short[] assistantSide = join(tap.said);
        assertEquals(5 * 320, callerSide.length, "five 20 ms frames at 16 kHz heard");
        assertEquals(5 * 320, assistantSide.length, "five said");
        // The G.722 codec's delay and start-up make the first frame; the rest is the tone.
        assertTrue(Goertzel.relativePower(callerSide, 320, 4 * 320, 6000, 16000) > 0.8, "caller's 6 kHz");
        assertTrue(Goertzel.relativePower(assistantSide, 0, 5 * 320, 440, 16000) > 0.9, "assistant's 440 Hz");
    }

    // ---- helpers ----

    private record Frame(long tick, short[] frame) {}

    /** A tap that keeps copies of everything, as a recorder would. */
    private static final class Recorded implements MediaTap {
        final List<Frame> heard = new CopyOnWriteArrayList<>();
        final List<Frame> said = new CopyOnWriteArrayList<>();

        @Override
        public void heard(long tick, short[] frame) {
            heard.add(new Frame(tick, frame.clone()));
        }

        @Override
        public void said(long tick, short[] frame) {
            said.add(new Frame(tick, frame.clone()));
        }
    }

    private MediaSession start(DatagramSocket sdpAddress, CodecInfo codec, QueueMediaPort port, boolean send)
            throws Exception {
        MediaSession session = engine.open("call-tap");
        session.start(
                new MediaParams(codec, codec.payloadType(), TELEPHONE_EVENT, address(sdpAddress), send),
                port,
                new MediaTimeout(Duration.ofMinutes(1), Duration.ofMinutes(5), () -> {}),
                tap);
        return session;
    }

    private DatagramSocket socket() throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        sockets.add(s);
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    /** Ticks once and waits for the first burst packet: after it, the session's receive side is ready. */
    private void awaitReceiving(DatagramSocket sdpAddress) throws IOException {
        tick();
        receive(sdpAddress, 1);
    }

    private void tick() {
        pacer.tickOnce(++tick);
    }

    /** The audio of {@code count} PCMU packets the caller receives. */
    private static List<short[]> receive(DatagramSocket s, int count) throws IOException {
        List<short[]> audio = new ArrayList<>();
        AudioDecoder decoder = Codecs.decoder(CodecInfo.PCMU);
        for (int i = 0; i < count; i++) {
            DatagramPacket d = new DatagramPacket(new byte[1500], 1500);
            s.receive(d);
            byte[] packet = Arrays.copyOf(d.getData(), d.getLength());
            int offset = RtpPacket.payloadOffset(packet, packet.length);
            int length = RtpPacket.payloadLength(packet, packet.length);
            short[] pcm = new short[length];
            decoder.decode(packet, offset, length, pcm, 0);
            audio.add(pcm);
        }
        return audio;
    }

    private static void send(DatagramSocket from, MediaSession to, byte[] datagram) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, to.localPort()));
    }

    private static byte[] rtp(int payloadType, int sequence, long timestamp, byte[] payload) {
        byte[] p = new byte[RtpPacket.FIXED_HEADER + payload.length];
        int at = RtpPacket.writeHeader(p, 0, payloadType, false, sequence, timestamp, 0x5ca1ab1eL);
        System.arraycopy(payload, 0, p, at, payload.length);
        return p;
    }

    private static byte[] encode(CodecInfo codec, short[] pcm) {
        byte[] out = new byte[pcm.length];
        int n = Codecs.encoder(codec).encode(pcm, 0, pcm.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private static short[] join(List<Frame> frames) {
        short[] all = new short[frames.stream().mapToInt(f -> f.frame().length).sum()];
        int at = 0;
        for (Frame f : frames) {
            System.arraycopy(f.frame(), 0, all, at, f.frame().length);
            at += f.frame().length;
        }
        return all;
    }
}
