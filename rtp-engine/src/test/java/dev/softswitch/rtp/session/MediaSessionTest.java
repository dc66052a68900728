package dev.softswitch.rtp.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.AudioDecoder;
import dev.softswitch.codecs.AudioEncoder;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.codecs.DtmfDetector;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.MediaUnavailableException;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.packet.RtpPacket;
import dev.softswitch.rtp.packet.TelephoneEvent;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One call's media on a real {@link MediaEngine} bound to 127.0.0.1, against a plain {@link DatagramSocket} playing
 * the caller. The pacer is never started: the test ticks it, so every packet we send is sent by the test's own hand.
 */
class MediaSessionTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int FRAME = 160; // 20 ms of PCMU
    private static final int TELEPHONE_EVENT = 101;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    private InMemoryPortPool pool;
    private Pacer pacer;
    private MediaEngine engine;
    private QueueMediaPort port;
    private long tick;

    @BeforeEach
    void startEngine() {
        pool = new InMemoryPortPool(42000, 42100);
        pacer = new Pacer();
        // Each packet's own fate is what these tests follow; MediaSessionJitterTest covers the jitter buffer.
        engine = new MediaEngine(LOOPBACK, pool, 1, pacer).jitterBuffer(false);
        port = new QueueMediaPort(FRAME, hangups::add);
    }

    @AfterEach
    void stopEngine() {
        sockets.forEach(DatagramSocket::close);
        engine.close();
        pacer.close();
    }

    // ---- the tests ----

    @Test
    void beforeTheCallerSendsAnythingABurstOfFiveSilentFramesGoesToTheSdpAddress() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);

        for (int i = 0; i < 5; i++) {
            tick();
        }
        List<Received> burst = receive(caller, 5);

        Received first = burst.get(0);
        for (int i = 0; i < burst.size(); i++) {
            Received p = burst.get(i);
            assertEquals(session.localPort(), p.fromPort(), "sent from the port the SDP names (symmetric RTP)");
            assertEquals(0, p.payloadType(), "PCMU");
            assertEquals(i == 0, p.marker(), "marker on the first packet only, packet " + i);
            assertEquals((first.sequence() + i) & 0xffff, p.sequence());
            assertEquals((first.timestamp() + i * 160L) & 0xffff_ffffL, p.timestamp());
            assertEquals(first.ssrc(), p.ssrc());
            assertEquals(FRAME, p.audio().length);
            assertTrue(isSilent(p.audio()), "packet " + i + " is silence");
        }

        // The assistant stays quiet: the ticks send nothing more.
        tick();
        tick();
        tick();
        assertEquals(5, session.stats().packetsSent());

        // The next packet the caller gets is the assistant's first frame: marked, and no packet in between.
        port.write(tone(440, FRAME));
        tick();
        Received talk = receive(caller);
        assertTrue(talk.marker(), "a new talkspurt");
        assertEquals((first.sequence() + 5) & 0xffff, talk.sequence(), "no packet was sent while quiet");
        assertEquals((first.timestamp() + 8 * 160L) & 0xffff_ffffL, talk.timestamp(), "time ran on while quiet");
        assertEquals(first.ssrc(), talk.ssrc());
        assertEquals(6, session.stats().packetsSent());
    }

    @Test
    void anotherSourceTakesOverOnlyAfterProbationAndOnlyOnceTheCallerFellSilent() throws Exception {
        DatagramSocket sdp = socket();
        DatagramSocket real = socket();
        DatagramSocket moved = socket(); // the caller after its NAT binding changed, or a stranger
        MediaSession session = start(sdp);
        awaitReceiving(sdp);
        ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
        int seq = 1;
        send(real, session, rtp(0, seq, 0, ulaw(tone.next(FRAME))));
        assertNotNull(port.read(WAIT));

        // While the caller talks, even a long run in sequence from elsewhere is dropped.
        for (int i = 0; i < MediaSession.PROBATION_PACKETS + 2; i++) {
            send(moved, session, rtp(0, 100 + i, 160L * i, ulaw(tone.next(FRAME))));
        }
        await().atMost(WAIT).until(() -> session.stats().droppedWrongSource() == MediaSession.PROBATION_PACKETS + 2);
        assertEquals(address(real), session.remote());

        // The caller falls silent; packets out of sequence from the new address still do not move the audio.
        Thread.sleep(MediaSession.RELATCH_SILENCE_NANOS / 1_000_000 + 50);
        send(moved, session, rtp(0, 500, 0, ulaw(tone.next(FRAME))));
        send(moved, session, rtp(0, 502, 320, ulaw(tone.next(FRAME))));
        await().atMost(WAIT).until(() -> session.stats().droppedWrongSource() == MediaSession.PROBATION_PACKETS + 4);
        assertEquals(address(real), session.remote());

        // Five in sequence: audio follows the caller's new address from the fifth on.
        for (int i = 0; i < MediaSession.PROBATION_PACKETS; i++) {
            send(moved, session, rtp(0, 600 + i, 160L * i, ulaw(tone.next(FRAME))));
        }
        await().atMost(WAIT).until(() -> session.relatched() == 1);
        assertEquals(address(moved), session.remote());
        assertEquals(
                MediaSession.PROBATION_PACKETS + 4 + MediaSession.PROBATION_PACKETS - 1,
                session.stats().droppedWrongSource());
        // And now the old address is the stranger.
        send(real, session, rtp(0, 2, 160, ulaw(tone.next(FRAME))));
        await().atMost(WAIT)
                .until(() -> session.stats().droppedWrongSource()
                        == MediaSession.PROBATION_PACKETS + 4 + MediaSession.PROBATION_PACKETS);
    }

    @Test
    void aCodecChangeMidCallSwitchesBothWaysWithoutAGap() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        Received first = awaitReceiving(caller);
        ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
        send(caller, session, rtp(0, 1, 0, ulaw(tone.next(FRAME))));
        assertNotNull(port.read(WAIT));

        session.changeCodec(CodecInfo.PCMA, 8, TELEPHONE_EVENT); // a re-INVITE settled on A-law
        byte[] alaw = new byte[FRAME];
        G711.encodeAlaw(tone.next(FRAME), 0, alaw, 0, FRAME);
        send(caller, session, rtp(8, 2, 160, alaw));
        short[] heard = port.read(WAIT);
        assertNotNull(heard, "A-law is heard once the call is on A-law");
        assertTrue(Goertzel.relativePower(heard, 0, FRAME, 1000, 8000) > 0.9, "decoded as A-law");
        send(caller, session, rtp(0, 3, 320, ulaw(tone.next(FRAME))));
        await().atMost(WAIT).until(() -> session.stats().droppedPayloadType() == 1);

        port.write(tone(440, FRAME));
        tick();
        Received out = receive(caller);
        assertEquals(8, out.payloadType(), "the next packet out is A-law");
        assertEquals((first.sequence() + 1) & 0xffff, out.sequence(), "no packet lost in the switch");
        short[] sent = new short[FRAME];
        G711.decodeAlaw(out.payload(), 0, sent, 0, FRAME);
        assertTrue(Goertzel.relativePower(sent, 0, FRAME, 440, 8000) > 0.9, "encoded as A-law");
    }

    @Test
    void aCodecChangeToAnotherRateIsResampledToAndFromTheRateTheCallStartedWith() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller); // PCMU: the port and the tap run at 8 kHz
        Received first = awaitReceiving(caller);

        session.changeCodec(CodecInfo.G722, 9, TELEPHONE_EVENT); // a re-INVITE settled on G.722 (16 kHz audio)
        AudioEncoder g722 = Codecs.encoder(CodecInfo.G722);
        ToneGenerator wide = new ToneGenerator(1000, 16000, 0.5);
        short[] heard = null;
        for (int i = 0; i < 4; i++) {
            byte[] payload = new byte[160];
            g722.encode(wide.next(2 * FRAME), 0, 2 * FRAME, payload, 0);
            send(caller, session, rtp(9, 2 + i, 160L * (1 + i), payload)); // G.722's RTP clock is 8000 Hz
            heard = port.read(WAIT);
            assertNotNull(heard, "frame " + i + " reaches the assistant");
            assertEquals(FRAME, heard.length, "at the 8 kHz the call started with");
        }
        assertTrue(Goertzel.relativePower(heard, 0, FRAME, 1000, 8000) > 0.9, "the caller's G.722 tone, resampled");

        ToneGenerator voice = new ToneGenerator(440, 8000, 0.5);
        AudioDecoder decoder = Codecs.decoder(CodecInfo.G722);
        short[] sent = new short[2 * FRAME];
        for (int i = 0; i < 4; i++) {
            port.write(voice.next(FRAME));
            tick();
            Received out = receive(caller);
            assertEquals(9, out.payloadType(), "packet " + i + " out is G.722");
            assertEquals((first.sequence() + 1 + i) & 0xffff, out.sequence(), "no packet lost in the switch");
            assertEquals(160, out.payload().length, "20 ms of G.722");
            assertEquals(2 * FRAME, decoder.decode(out.payload(), 0, 160, sent, 0));
        }
        assertTrue(Goertzel.relativePower(sent, 0, 2 * FRAME, 440, 16000) > 0.9, "the assistant's 8 kHz audio, at 16");

        session.changeCodec(CodecInfo.PCMU, 0, TELEPHONE_EVENT); // and back: no resampling any more
        port.write(voice.next(FRAME));
        tick();
        Received back = receive(caller);
        assertEquals(0, back.payloadType());
        assertEquals(FRAME, back.payload().length);
    }

    @Test
    void theCallersToneReachesTheAssistantAs20MillisecondFrames() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);

        ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
        for (int i = 0; i < 10; i++) {
            send(caller, session, rtp(0, 1000 + i, 8000L * i, ulaw(tone.next(FRAME))));
        }

        List<short[]> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            short[] frame = port.read(WAIT);
            assertNotNull(frame, "frame " + i);
            assertEquals(FRAME, frame.length);
            double at1000 = Goertzel.relativePower(frame, 0, FRAME, 1000, 8000);
            assertTrue(at1000 > 0.9, "frame " + i + " at 1000 Hz: " + at1000);
            frames.add(frame);
        }
        short[] all = join(frames);
        assertTrue(Goertzel.relativePower(all, 0, all.length, 1000, 8000) > 0.9, "frames in order");
        assertNull(port.read(Duration.ZERO), "ten packets, ten frames");
        assertEquals(new MediaStats(10, 1, 0, 0, 0, 0, 0), session.stats());
        assertEquals(address(caller), session.remote());
    }

    @Test
    void theAssistantsFramesAreSentOnTicksAsPcmuWithRunningSequenceAndTimestamp() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        for (int i = 0; i < 5; i++) {
            tick(); // ticks 1-5: the silence burst
        }
        List<Received> burst = receive(caller, 5);
        Received first = burst.get(0);
        tick(); // tick 6: nothing queued, nothing sent

        ToneGenerator tone = new ToneGenerator(440, 8000, 0.5);
        for (int i = 0; i < 5; i++) {
            port.write(tone.next(FRAME));
        }
        for (int i = 0; i < 5; i++) {
            tick(); // ticks 7-11
        }
        List<Received> talkspurt = receive(caller, 5);

        for (int i = 0; i < talkspurt.size(); i++) {
            Received p = talkspurt.get(i);
            assertEquals(0, p.payloadType());
            assertEquals(i == 0, p.marker(), "marker on the first packet of the talkspurt only, packet " + i);
            assertEquals((first.sequence() + 5 + i) & 0xffff, p.sequence());
            assertEquals((first.timestamp() + (6 + i) * 160L) & 0xffff_ffffL, p.timestamp(), "tick " + (7 + i));
            assertEquals(first.ssrc(), p.ssrc());
            double at440 = Goertzel.relativePower(p.audio(), 0, FRAME, 440, 8000);
            assertTrue(at440 > 0.9, "packet " + i + " at 440 Hz: " + at440);
        }
        short[] heard = join(talkspurt.stream().map(Received::audio).toList());
        assertTrue(Goertzel.relativePower(heard, 0, heard.length, 440, 8000) > 0.9);

        tick(); // tick 12: a gap
        port.write(tone.next(FRAME));
        port.write(tone.next(FRAME));
        tick();
        tick(); // ticks 13-14
        List<Received> second = receive(caller, 2);
        Received last = talkspurt.get(4);
        assertTrue(second.get(0).marker(), "after a gap a new talkspurt starts");
        assertFalse(second.get(1).marker());
        assertEquals((last.sequence() + 1) & 0xffff, second.get(0).sequence(), "sequence numbers have no gap");
        assertEquals((last.timestamp() + 2 * 160L) & 0xffff_ffffL, second.get(0).timestamp(), "timestamps do");
        assertEquals((last.timestamp() + 3 * 160L) & 0xffff_ffffL, second.get(1).timestamp());
        assertEquals(12, session.stats().packetsSent());
    }

    @Test
    void ourAudioFollowsTheCallersRealSourceAndOtherSourcesAreDropped() throws Exception {
        DatagramSocket sdp = socket(); // where the SDP said to send
        DatagramSocket real = socket(); // where the caller really sends from (a NAT)
        DatagramSocket stranger = socket();
        MediaSession session = start(sdp);
        Received first = awaitReceiving(sdp);
        assertEquals(address(sdp), session.remote());

        // Garbage does not latch.
        send(stranger, session, new byte[] {1, 2, 3});
        await().atMost(WAIT).until(() -> session.stats().droppedInvalid() == 1);
        assertEquals(address(sdp), session.remote());

        ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
        send(real, session, rtp(0, 1, 0, ulaw(tone.next(FRAME))));
        assertNotNull(port.read(WAIT));
        assertEquals(address(real), session.remote());

        tick();
        tick();
        List<Received> toReal = receive(real, 2);
        assertEquals((first.sequence() + 1) & 0xffff, toReal.get(0).sequence(), "the next packet went to the source");
        assertEquals((first.sequence() + 2) & 0xffff, toReal.get(1).sequence());

        send(stranger, session, rtp(0, 2, 160, ulaw(tone.next(FRAME))));
        await().atMost(WAIT).until(() -> session.stats().droppedWrongSource() == 1);
        assertNull(port.read(Duration.ZERO), "the stranger's audio is not heard");
        assertEquals(address(real), session.remote());

        send(real, session, rtp(0, 3, 320, ulaw(tone.next(FRAME))));
        assertNotNull(port.read(WAIT), "the caller is still heard");
        tick();
        assertEquals((first.sequence() + 3) & 0xffff, receive(real).sequence());
        assertEquals(new MediaStats(2, 4, 1, 1, 0, 0, 0), session.stats());
    }

    @Test
    void unnegotiatedPayloadTypesInvalidDatagramsAndDuplicatesAreCountedAndNotHeard() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        byte[] voice = ulaw(new ToneGenerator(1000, 8000, 0.5).next(FRAME));
        byte[] other = ulaw(new ToneGenerator(2000, 8000, 0.5).next(FRAME));

        send(caller, session, rtp(0, 100, 0, voice));
        send(caller, session, rtp(8, 101, 160, other)); // PCMA: not in the answer
        send(caller, session, rtp(TELEPHONE_EVENT, 102, 320, new byte[] {5, 10, 0, (byte) 160}));
        send(caller, session, new byte[] {(byte) 0x80, 0, 0, 1, 0});
        byte[] version1 = rtp(0, 104, 640, other);
        version1[0] = 0x40;
        send(caller, session, version1);
        send(caller, session, rtp(0, 100, 0, other)); // a duplicate of the first
        send(caller, session, rtp(0, 99, 0, other)); // older than one already played
        send(caller, session, rtp(0, 105, 800, voice));

        // Only 100 and 105 are heard: both carry the caller's 1000 Hz, none of the 2000 Hz of the dropped ones.
        for (int i = 0; i < 2; i++) {
            short[] frame = port.read(WAIT);
            assertNotNull(frame, "frame " + i);
            double at1000 = Goertzel.relativePower(frame, 0, FRAME, 1000, 8000);
            assertTrue(at1000 > 0.9, "frame " + i + " at 1000 Hz: " + at1000);
        }
        assertNull(port.read(Duration.ZERO), "nothing else reached the assistant");
        await().atMost(WAIT).until(() -> session.stats().equals(new MediaStats(2, 1, 2, 0, 1, 2, 1)));
    }

    @Test
    void eachKeyPressReachesTheAssistantOnceDespiteRepeatedEndPackets() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        // '7' (event 7): start, two updates, then the end packet three times (RFC 4733 2.5.1.4); then '#' (11).
        int seq = 200;
        send(caller, session, rtp(TELEPHONE_EVENT, seq++, 8000, event(7, false, 160)));
        send(caller, session, rtp(TELEPHONE_EVENT, seq++, 8000, event(7, false, 320)));
        send(caller, session, rtp(TELEPHONE_EVENT, seq++, 8000, event(7, false, 480)));
        for (int i = 0; i < 3; i++) {
            send(caller, session, rtp(TELEPHONE_EVENT, seq++, 8000, event(7, true, 800)));
        }
        for (int i = 0; i < 3; i++) {
            send(caller, session, rtp(TELEPHONE_EVENT, seq++, 9600, event(11, true, 640)));
        }
        await().atMost(WAIT).until(() -> session.stats().telephoneEvents() == 9);
        DtmfEvent first = port.pollDtmf();
        DtmfEvent second = port.pollDtmf();
        assertEquals(new DtmfEvent('7', 100, DtmfEvent.Method.RFC4733), first);
        assertEquals(new DtmfEvent('#', 80, DtmfEvent.Method.RFC4733), second);
        assertNull(port.pollDtmf(), "one event per key press");
        assertNull(port.read(Duration.ZERO), "telephone-events never reach the assistant as audio");
    }

    @Test
    void withoutTelephoneEventAKeyPressedAsTonesIsHeardInBand() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = engine.open("call-inband");
        session.start(new MediaParams(CodecInfo.PCMU, 0, -1, address(caller), true), port);
        awaitReceiving(caller);
        // '9' = 852 Hz + 1477 Hz for 100 ms, then 100 ms of silence, as mu-law RTP in 20 ms packets.
        ToneGenerator low = new ToneGenerator(852, 8000, 0.25);
        ToneGenerator high = new ToneGenerator(1477, 8000, 0.25);
        for (int i = 0; i < 10; i++) {
            short[] frame = new short[FRAME];
            if (i < 5) {
                short[] a = low.next(FRAME);
                short[] b = high.next(FRAME);
                for (int k = 0; k < FRAME; k++) {
                    frame[k] = (short) (a[k] + b[k]);
                }
            }
            send(caller, session, rtp(0, 300 + i, 160L * i, ulaw(frame)));
        }
        await().atMost(WAIT).until(() -> session.stats().packetsReceived() == 10);
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(new DtmfEvent('9', 0, DtmfEvent.Method.INBAND), port.pollDtmf()));
        assertNull(port.pollDtmf(), "one key press");
    }

    @Test
    void keysTheAssistantSendsGoAsRfc4733EventsWhileItsAudioWaits() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        Received first = awaitReceiving(caller); // tick 1: the first frame of the silence burst
        port.write(tone(440, FRAME));
        port.write(tone(440, FRAME));
        port.sendDigits("1#");

        for (int i = 0; i < 22; i++) {
            tick(); // ticks 2-23
        }
        List<Received> sent = receive(caller, 18);

        // '1' on ticks 2-9, all stamped with tick 2; the audio queued before it waits.
        assertKeyEvents(sent.subList(0, 8), 1, first.timestamp() + 160);
        // The pause, ticks 10-12: the held audio goes, a new talkspurt stamped with its ticks; then nothing is left.
        for (int i = 0; i < 2; i++) {
            Received audio = sent.get(8 + i);
            assertEquals(0, audio.payloadType(), "audio after the key");
            assertEquals(i == 0, audio.marker(), "audio after the key starts a talkspurt");
            assertEquals((first.timestamp() + (9 + i) * 160L) & 0xffff_ffffL, audio.timestamp(), "time ran on");
            assertTrue(Goertzel.relativePower(audio.audio(), 0, FRAME, 440, 8000) > 0.9, "the assistant's 440 Hz");
        }
        // '#' on ticks 13-20, after 60 ms of pause; nothing on 21-23.
        assertKeyEvents(sent.subList(10, 18), 11, first.timestamp() + 12 * 160L);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals((first.sequence() + 1 + i) & 0xffff, sent.get(i).sequence(), "one sequence for all, " + i);
            assertEquals(first.ssrc(), sent.get(i).ssrc());
        }
        assertEquals(19, session.stats().packetsSent(), "the burst's first frame and the 18 above, no more");
        assertEquals(0, port.queuedFrames(), "the audio was held, not dropped, and is sent");

        // What the caller's side makes of the events: each key once, 100 ms long.
        TelephoneEventReceiver heard = new TelephoneEventReceiver(8000);
        List<DtmfEvent> keys = new ArrayList<>();
        for (Received p : sent) {
            if (p.payloadType() == TELEPHONE_EVENT) {
                byte[] e = p.payload();
                keys.addAll(heard.onPacket(
                        p.timestamp(),
                        TelephoneEvent.event(e, 0),
                        TelephoneEvent.isEnd(e, 0),
                        TelephoneEvent.duration(e, 0)));
            }
        }
        assertEquals(
                List.of(
                        new DtmfEvent('1', 100, DtmfEvent.Method.RFC4733),
                        new DtmfEvent('#', 100, DtmfEvent.Method.RFC4733)),
                keys);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PCMU", "G722"})
    void withoutTelephoneEventKeysGoAsTonesInTheAudioAndTheAssistantsAudioFollows(String codecName) throws Exception {
        CodecInfo codec = codecName.equals("G722") ? CodecInfo.G722 : CodecInfo.PCMU;
        int rate = codec.sampleRate();
        int frame = codec.samplesPerFrame(20);
        QueueMediaPort callPort = new QueueMediaPort(frame, hangups::add);
        DatagramSocket caller = socket();
        MediaSession session = engine.open("call-inband-keys");
        session.start(new MediaParams(codec, codec.payloadType(), -1, address(caller), true), callPort);
        ToneGenerator voice = new ToneGenerator(440, rate, 0.5);
        callPort.write(voice.next(frame));
        callPort.write(voice.next(frame));
        callPort.sendDigits("1#");

        for (int i = 0; i < 18; i++) {
            tick(); // '1' on ticks 1-8, '#' on 9-16 (100 ms of tones, 60 ms of silence each), the audio on 17-18
        }
        List<Received> sent = receive(caller, 18);

        Received first = sent.get(0);
        for (int i = 0; i < sent.size(); i++) {
            Received p = sent.get(i);
            assertEquals(codec.payloadType(), p.payloadType(), "ordinary audio, packet " + i);
            assertEquals(i == 0, p.marker(), "one talkspurt, packet " + i);
            assertEquals((first.sequence() + i) & 0xffff, p.sequence());
            assertEquals((first.timestamp() + i * 160L) & 0xffff_ffffL, p.timestamp());
        }
        short[] heard = decode(sent, codec);
        assertEquals("1#", new DtmfDetector(rate).process(heard), "the caller's side hears the keys in band");
        for (int key = 0; key < 2; key++) {
            int tones = key * 8 * frame;
            double low = Goertzel.power(heard, tones + frame, 3 * frame, key == 0 ? 697 : 941, rate);
            double high = Goertzel.power(heard, tones + frame, 3 * frame, key == 0 ? 1209 : 1477, rate);
            assertEquals(-10, 10 * Math.log10(2 * low), 1.0, "low tone of key " + key + " at -10 dBFS");
            assertEquals(-10, 10 * Math.log10(2 * high), 1.0, "high tone of key " + key + " at -10 dBFS");
            assertTrue(rms(heard, tones + 6 * frame, 2 * frame) < 30, "the pause after key " + key + " is silent");
        }
        assertTrue(
                Goertzel.relativePower(heard, 16 * frame, 2 * frame, 440, rate) > 0.8,
                "the assistant's audio waited for the keys and follows them");
        assertEquals(18, session.stats().packetsSent());
        assertEquals(0, callPort.queuedFrames());
    }

    private static final int[] KEY_DURATIONS = {160, 320, 480, 640, 800, 800, 800, 800};

    /** The eight packets of one key sent as RFC 4733 events: 100 ms of updates, then the end packet three times. */
    private static void assertKeyEvents(List<Received> packets, int code, long timestamp) {
        assertEquals(KEY_DURATIONS.length, packets.size());
        for (int i = 0; i < packets.size(); i++) {
            Received p = packets.get(i);
            byte[] e = p.payload();
            String what = "event " + code + " packet " + i;
            assertEquals(TELEPHONE_EVENT, p.payloadType(), what);
            assertEquals(i == 0, p.marker(), what + ": marker on the first packet only");
            assertEquals(timestamp & 0xffff_ffffL, p.timestamp(), what + ": every packet carries the start");
            assertEquals(TelephoneEvent.LENGTH, e.length, what);
            assertEquals(code, TelephoneEvent.event(e, 0), what);
            assertEquals(i >= 5, TelephoneEvent.isEnd(e, 0), what + ": E on the last three");
            assertEquals(0, e[1] & 0x40, what + ": R is zero");
            assertEquals(10, TelephoneEvent.volume(e, 0), what + ": volume");
            assertEquals(KEY_DURATIONS[i], TelephoneEvent.duration(e, 0), what + ": duration");
        }
    }

    private static short[] decode(List<Received> packets, CodecInfo codec) {
        AudioDecoder decoder = Codecs.decoder(codec);
        short[] pcm = new short[packets.size() * codec.samplesPerFrame(20)];
        int at = 0;
        for (Received p : packets) {
            byte[] payload = p.payload();
            at += decoder.decode(payload, 0, payload.length, pcm, at);
        }
        assertEquals(pcm.length, at);
        return pcm;
    }

    private static double rms(short[] samples, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / length);
    }

    @Test
    void aSilentCallerTimesOutOnceAndPacketsKeepTheCallAlive() throws Exception {
        DatagramSocket caller = socket();
        java.util.concurrent.atomic.AtomicInteger expired = new java.util.concurrent.atomic.AtomicInteger();
        MediaSession session = engine.open("call-timeout");
        session.start(
                params(caller, true),
                port,
                new MediaTimeout(Duration.ofMillis(100), Duration.ofMillis(400), expired::incrementAndGet));
        awaitReceiving(caller); // tick 1
        for (int i = 0; i < 4; i++) {
            tick(); // 100 ms of silence is not yet more than 100 ms
        }
        assertEquals(0, expired.get());
        send(caller, session, rtp(0, 1, 0, ulaw(new short[FRAME])));
        await().atMost(WAIT).until(() -> session.stats().packetsReceived() == 1);
        for (int i = 0; i < 5; i++) {
            tick();
        }
        assertEquals(0, expired.get(), "the packet reset the clock");
        for (int i = 0; i < 3; i++) {
            tick();
        }
        assertEquals(1, expired.get(), "over 100 ms silent");
        for (int i = 0; i < 50; i++) {
            tick();
        }
        assertEquals(1, expired.get(), "reported once");
    }

    @Test
    void onHoldTheLongerTimeoutApplies() throws Exception {
        DatagramSocket caller = socket();
        java.util.concurrent.atomic.AtomicInteger expired = new java.util.concurrent.atomic.AtomicInteger();
        MediaSession session = engine.open("call-hold-timeout");
        session.start(
                params(caller, false),
                port,
                new MediaTimeout(Duration.ofMillis(100), Duration.ofMillis(400), expired::incrementAndGet));
        for (int i = 0; i < 20; i++) {
            tick(); // 400 ms
        }
        assertEquals(0, expired.get());
        for (int i = 0; i < 2; i++) {
            tick();
        }
        assertEquals(1, expired.get());
    }

    private static byte[] event(int code, boolean end, int duration) {
        byte[] payload = new byte[TelephoneEvent.LENGTH];
        TelephoneEvent.write(payload, 0, code, end, 10, duration);
        return payload;
    }

    @Test
    void sequenceNumbersWrapAroundWithoutBeingTakenForLatePackets() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        byte[] voice = ulaw(new ToneGenerator(1000, 8000, 0.5).next(FRAME));

        send(caller, session, rtp(0, 65534, 0, voice));
        send(caller, session, rtp(0, 65535, 160, voice));
        send(caller, session, rtp(0, 0, 320, voice));
        send(caller, session, rtp(0, 1, 480, voice));
        send(caller, session, rtp(0, 65535, 160, voice)); // late: before 0 and 1
        send(caller, session, rtp(0, 30000, 640, voice)); // a sender that restarted far back is heard again

        for (int i = 0; i < 5; i++) {
            assertNotNull(port.read(WAIT), "frame " + i);
        }
        assertNull(port.read(Duration.ZERO));
        await().atMost(WAIT).until(() -> session.stats().droppedLate() == 1);
        assertEquals(5, session.stats().packetsReceived());
    }

    @Test
    void theCallersFirstPacketMovesOurSendsToThePhaseThatFollowsItAndARepeatedTickSendsNothing() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        int spread = pacer.phaseOf(session);
        assertTrue(spread >= 0, "registered at a phase of its own before the caller sends");

        long sent = System.nanoTime();
        send(caller, session, rtp(0, 1, 0, ulaw(tone(440, FRAME))));
        assertNotNull(port.read(WAIT));
        // Without a jitter buffer the frame goes to the assistant as it comes: our sends fall the turnaround after.
        int earliest = pacer.phaseAt(sent + MediaSession.TURNAROUND_NANOS);
        await().atMost(WAIT).until(() -> pacer.phaseOf(session) != spread || earliest == spread);
        int phase = pacer.phaseOf(session);
        int after = Math.floorMod(phase - earliest, pacer.phases());
        assertTrue(after <= 5, "phase " + phase + ", the packet's plus the turnaround " + earliest);

        long before = session.stats().packetsSent();
        pacer.tickOnce(tick); // the number just sent on, again: what a move to a later phase can bring
        assertEquals(before, session.stats().packetsSent(), "a tick number is sent on once");
    }

    @Test
    void ourSendsAreSetAgainFromTheCallersFastestPacketsOnceHalfASecondOfThemHasCome() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        ToneGenerator tone = new ToneGenerator(440, 8000, 0.5);

        // The first packet is 8 ms slower than the rest (64 samples of timestamp later than the others would put it).
        long first = System.nanoTime();
        for (int i = 0; i < MediaSession.PHASE_PACKETS; i++) {
            long due = first + i * 20_000_000L;
            while (System.nanoTime() < due) {
                Thread.sleep(1);
            }
            send(caller, session, rtp(0, 1 + i, i == 0 ? 0 : 160L * i + 64, ulaw(tone.next(FRAME))));
        }
        for (int i = 0; i < MediaSession.PHASE_PACKETS; i++) {
            assertNotNull(port.read(WAIT));
        }

        int fastest = pacer.phaseAt(first - 8_000_000L + MediaSession.TURNAROUND_NANOS);
        int after = Math.floorMod(pacer.phaseOf(session) - fastest, pacer.phases());
        assertTrue(
                after <= 4,
                "phase " + pacer.phaseOf(session) + ", the fastest packets' plus the turnaround " + fastest);
    }

    @Test
    void closingTheSessionReturnsItsPortToThePool() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = start(caller);
        awaitReceiving(caller);
        assertEquals(1, pool.leased());
        assertEquals(1, engine.openSessions());
        assertEquals(1, pacer.registered());

        session.close();

        await().atMost(WAIT).until(() -> pool.leased() == 0 && engine.openSessions() == 0);
        assertTrue(session.isClosed());
        assertEquals(0, pacer.registered(), "the pacer no longer ticks the call");
        assertFalse(port.isOpen(), "the assistant learns that the call ended");
        assertNull(port.read(Duration.ofMinutes(1)));
        assertEquals(List.of(), hangups, "the media side ending is not the assistant hanging up");

        long sent = session.stats().packetsSent();
        session.tick(++tick);
        assertEquals(sent, session.stats().packetsSent(), "a closed session sends nothing");

        session.close(); // idempotent: the port is not released twice
        assertEquals(0, pool.leased());
        assertThrows(IllegalStateException.class, () -> session.start(params(caller, true), port));
    }

    @Test
    void twoCallsGetTwoPorts() throws Exception {
        MediaSession a = engine.open("call-a");
        MediaSession b = engine.open("call-b");

        assertNotEquals(a.localPort(), b.localPort());
        assertEquals(2, pool.leased());
        assertEquals(2, engine.openSessions());

        a.close();
        b.close();
        await().atMost(WAIT).until(() -> pool.leased() == 0 && engine.openSessions() == 0);
    }

    @Test
    void whenEveryPortIsLeasedOpeningFailsSayingSo() throws Exception {
        InMemoryPortPool onePair = new InMemoryPortPool(42200, 42201);
        try (MediaEngine small = new MediaEngine(LOOPBACK, onePair, 1, pacer)) {
            MediaSession only = small.open("call-1");

            MediaUnavailableException e = assertThrows(MediaUnavailableException.class, () -> small.open("call-2"));

            assertEquals("no free RTP port (1 pairs, all in use)", e.getMessage());
            only.close();
            await().atMost(WAIT).until(() -> onePair.leased() == 0);
            // The port just released waits out its quarantine: late packets of call 1 must not reach call 3.
            MediaUnavailableException quarantined =
                    assertThrows(MediaUnavailableException.class, () -> small.open("call-3"));
            assertEquals(
                    "no free RTP port (1 pairs: 0 in use, 1 in quarantine after their calls)",
                    quarantined.getMessage());
        }
    }

    @Test
    void aPortTakenByAnotherProgramIsSkipped() throws Exception {
        InMemoryPortPool pairs = new InMemoryPortPool(42300, 42309);
        DatagramSocket squatter = socketOn(42300);
        try (MediaEngine other = new MediaEngine(LOOPBACK, pairs, 1, pacer)) {
            MediaSession session = other.open("call-1");

            assertEquals(42302, session.localPort());
            assertEquals(1, pairs.leased(), "the port that would not bind went back to the pool");
            session.close();
            await().atMost(WAIT).until(() -> pairs.leased() == 0);
        } finally {
            squatter.close();
        }
    }

    @Test
    void aCallOnHoldIsSentNothing() throws Exception {
        DatagramSocket caller = socket();
        MediaSession session = engine.open("call-hold");
        session.start(params(caller, false), port);

        port.write(tone(440, FRAME));
        for (int i = 0; i < 8; i++) {
            tick();
        }

        assertEquals(0, session.stats().packetsSent());
        assertNull(port.pollToCaller(), "the assistant's audio was consumed on time, not queued up");
        session.close();
    }

    // ---- helpers ----

    /** One RTP packet as the caller received it, its payload decoded. */
    private static final class Received {
        private final int fromPort;
        private final byte[] packet;
        private final short[] audio;

        Received(int fromPort, byte[] packet) {
            assertNull(RtpPacket.validate(packet, packet.length));
            this.fromPort = fromPort;
            this.packet = packet;
            int offset = RtpPacket.payloadOffset(packet, packet.length);
            int length = RtpPacket.payloadLength(packet, packet.length);
            this.audio = new short[length];
            G711.decodeUlaw(packet, offset, audio, 0, length);
        }

        int fromPort() {
            return fromPort;
        }

        boolean marker() {
            return RtpPacket.marker(packet);
        }

        int payloadType() {
            return RtpPacket.payloadType(packet);
        }

        int sequence() {
            return RtpPacket.sequence(packet);
        }

        long timestamp() {
            return RtpPacket.timestamp(packet);
        }

        long ssrc() {
            return RtpPacket.ssrc(packet);
        }

        short[] audio() {
            return audio;
        }

        byte[] payload() {
            int offset = RtpPacket.payloadOffset(packet, packet.length);
            return Arrays.copyOfRange(packet, offset, offset + RtpPacket.payloadLength(packet, packet.length));
        }
    }

    private DatagramSocket socket() throws SocketException {
        return socketOn(0);
    }

    private DatagramSocket socketOn(int localPort) throws SocketException {
        DatagramSocket s = new DatagramSocket(null);
        sockets.add(s);
        s.setSoTimeout((int) WAIT.toMillis());
        try {
            s.bind(new InetSocketAddress(LOOPBACK, localPort));
        } catch (SocketException taken) {
            // Someone else holds the port: it is just as taken for the engine.
        }
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    private static MediaParams params(DatagramSocket sdpAddress, boolean send) {
        return new MediaParams(CodecInfo.PCMU, 0, TELEPHONE_EVENT, address(sdpAddress), send);
    }

    private MediaSession start(DatagramSocket sdpAddress) throws MediaUnavailableException {
        MediaSession session = engine.open("call-1");
        session.start(params(sdpAddress, true), port);
        return session;
    }

    /**
     * Ticks once and waits for the first burst packet. The session prepares its receive side on its event loop, and
     * that packet is written by the same loop after it, so once it has arrived the session is ready to receive.
     */
    private Received awaitReceiving(DatagramSocket sdpAddress) throws IOException {
        tick();
        return receive(sdpAddress);
    }

    private void tick() {
        pacer.tickOnce(++tick);
    }

    private static Received receive(DatagramSocket s) throws IOException {
        DatagramPacket d = new DatagramPacket(new byte[1500], 1500);
        s.receive(d);
        return new Received(d.getPort(), Arrays.copyOf(d.getData(), d.getLength()));
    }

    private static List<Received> receive(DatagramSocket s, int count) throws IOException {
        List<Received> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            packets.add(receive(s));
        }
        return packets;
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

    private static byte[] ulaw(short[] pcm) {
        byte[] out = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, out, 0, pcm.length);
        return out;
    }

    private static short[] tone(double hz, int samples) {
        return new ToneGenerator(hz, 8000, 0.5).next(samples);
    }

    private static boolean isSilent(short[] audio) {
        for (short s : audio) {
            if (Math.abs(s) > 8) {
                return false;
            }
        }
        return true;
    }

    private static short[] join(List<short[]> frames) {
        short[] all = new short[frames.stream().mapToInt(f -> f.length).sum()];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }
}
