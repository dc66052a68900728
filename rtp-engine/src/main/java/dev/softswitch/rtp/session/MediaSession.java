package dev.softswitch.rtp.session;

import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.FrameAssembler;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.AudioDecoder;
import dev.softswitch.codecs.AudioEncoder;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.codecs.DtmfDetector;
import dev.softswitch.codecs.DtmfTones;
import dev.softswitch.codecs.Resampler;
import dev.softswitch.rtp.jitter.JitterBuffer;
import dev.softswitch.rtp.jitter.JitterStats;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.packet.RtcpPacket;
import dev.softswitch.rtp.packet.RtpPacket;
import dev.softswitch.rtp.packet.TelephoneEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTP: a UDP socket on a leased port. Inbound packets are checked, latched to the caller's real source
 * (symmetric RTP, RFC 4961), decoded and cut into 20 ms frames for the assistant; on each pacer tick the next frame
 * the assistant queued is encoded and sent to where the caller's packets come from. Keys the assistant sends go
 * ahead of its audio, as RFC 4733 telephone-events when the call negotiated them, else as in-band tones.
 *
 * <p>RTCP (RFC 3550 6) goes on a second socket on the port above, or on the RTP socket itself with rtcp-mux (RFC
 * 5761); {@link RtcpSession} holds its state, the pacer's ticks say when to report.
 *
 * <p>Threads: the receive path runs on the channel's event loop, the send path on the pacer thread; each keeps its
 * own state. {@link #start} publishes the negotiated parameters (and the optional {@link MediaTap}) to both through
 * one volatile field. The jitter buffer is the one thing they share: the event loop fills it, the pacer plays it out,
 * under its lock.
 *
 * <p>Timing: on the caller's first audio packet the call's play-out and sends move to the pacer phases that follow
 * that packet, by {@link JitterBuffer#PLAYOUT_LEAD_NANOS} and then {@link #TURNAROUND_NANOS}, and again after
 * {@link #PHASE_PACKETS} packets, from the fastest of them: a frame reaches the assistant the buffer's least delay after
 * it came, and an answer the assistant gives at once goes out in the same period.
 */
public final class MediaSession implements Pacer.Tickable, AutoCloseable {

    /** Silence frames sent at start even when the assistant is quiet, so NATs and firewalls open toward us. */
    static final int SILENCE_BURST_FRAMES = 5;

    /** A key sent to the caller sounds for 100 ms: five 20 ms ticks of RFC 4733 packets or of in-band tones. */
    static final int KEY_TONE_TICKS = 5;
    /** RFC 4733 2.5.1.4: the packet that ends an event is sent three times. */
    static final int KEY_END_PACKETS = 3;
    /** Ticks of pause after a key, before the next: 60 ms, the fewest whole ticks that make at least 50 ms. */
    static final int KEY_PAUSE_TICKS = 3;
    /** The power level our telephone-events state, in -dBm0 (RFC 4733 2.3.4). */
    static final int KEY_VOLUME = 10;

    private static final int MAX_DATAGRAM = 1500;
    /** Packets in sequence a new source sends before audio follows it (RFC 3550 A.1 uses two; we ask for more). */
    static final int PROBATION_PACKETS = 5;
    /** How long the latched source must have been silent before another may take its place. */
    static final long RELATCH_SILENCE_NANOS = 200_000_000L;
    /** RFC 3550 A.1: a jump back further than this is a restarted sender, not a late packet. */
    private static final int MAX_MISORDER = 100;

    /**
     * How long after a frame's play-out toward the assistant the call's next packet goes out: time for an assistant
     * that answers each frame at once (the echo) to have its answer sent in the same period, not the next. The call's
     * pacer phase is set so from the caller's first audio packets (Receiver.followCaller), and the delay the path adds
     * is then the jitter buffer's (from {@link JitterBuffer#PLAYOUT_LEAD_NANOS}) plus this.
     */
    static final long TURNAROUND_NANOS = 6_000_000L;

    /** The caller's packets from whose fastest the call's phases are set again (see Receiver.followCaller): 0.5 s. */
    static final int PHASE_PACKETS = 25;

    /**
     * How often, in play-outs, the play-out is set again to follow the jitter buffer's target (Receiver.followTarget):
     * every 200 ms, so that a delay the target no longer needs (after a burst of late frames) comes down by 5 ms steps
     * in under a second, not two.
     */
    static final int FOLLOW_TARGET_TICKS = 10;
    /** A target this close to the play-out's phase is left alone: a millisecond of noise would move it every time. */
    static final long FOLLOW_MIN_SHIFT_NANOS = 2_000_000L;
    /**
     * How far one step may move the play-out: at most 5 ms earlier, so that the send following it is still to come, and
     * 9 ms later; the buffer covers whole frames by stretching or merging.
     */
    static final long FOLLOW_MAX_EARLIER_NANOS = 5_000_000L;
    /** See {@link #FOLLOW_MAX_EARLIER_NANOS}. */
    static final long FOLLOW_MAX_LATER_NANOS = 9_000_000L;

    private static final Logger log = LoggerFactory.getLogger(MediaSession.class);

    private final String callId;
    private final int localPort;
    private final Pacer pacer;
    private volatile @Nullable Channel channel;
    /** The RTCP socket on the port above, or null with rtcp-mux. */
    private volatile @Nullable Channel rtcpChannel;

    private final boolean rtcpMux;
    private final boolean useJitterBuffer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable Running running;
    /** The pacer tick of the last packet from the caller (or of the start): what the media timeout measures. */
    private volatile long lastHeardTick;

    private volatile @Nullable MediaTimeout timeout;
    private boolean timedOut;
    private volatile @Nullable InetSocketAddress latched;

    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong droppedInvalid = new AtomicLong();
    private final AtomicLong droppedWrongSource = new AtomicLong();
    private final AtomicLong droppedPayloadType = new AtomicLong();
    private final AtomicLong droppedLate = new AtomicLong();
    private final AtomicLong telephoneEvents = new AtomicLong();
    private final AtomicLong relatched = new AtomicLong();

    /**
     * State fixed at start: what both directions need. {@code frameSamples} is a 20 ms frame at the session's audio rate,
     * the rate of the codec the call started with: the assistant's port and the tap keep it for the whole call, and a
     * codec changed later to another rate is resampled to and from it.
     */
    private record Running(
            MediaParams params,
            QueueMediaPort port,
            long startTick,
            int frameSamples,
            @Nullable MediaTap tap) {

        /** The audio rate of the port and the tap. */
        int sessionRate() {
            return frameSamples * 50;
        }

        /** Converts between the codec's audio rate and the session's, or null when they are the same. */
        @Nullable
        Resampler resampler(boolean toCodec) {
            int codecRate = params.codec().sampleRate();
            if (codecRate == sessionRate()) {
                return null;
            }
            return toCodec ? Resampler.of(sessionRate(), codecRate) : Resampler.of(codecRate, sessionRate());
        }
    }

    /** Made by {@code MediaEngine.open}, which binds {@link #handler()} to the port and then {@link #attach}es. */
    public MediaSession(String callId, int localPort, Pacer pacer) {
        this(callId, localPort, pacer, false, Clock.systemUTC());
    }

    /**
     * @param rtcpMux whether RTCP shares the RTP port (RFC 5761); else it goes on {@code localPort + 1}
     * @param clock the wallclock RTCP timestamps its reports with and measures round trips by
     */
    public MediaSession(String callId, int localPort, Pacer pacer, boolean rtcpMux, InstantSource clock) {
        this(callId, localPort, pacer, rtcpMux, clock, true);
    }

    /** @param jitterBuffer whether the caller's 20 ms packets go through an adaptive jitter buffer (see Receiver) */
    public MediaSession(
            String callId, int localPort, Pacer pacer, boolean rtcpMux, InstantSource clock, boolean jitterBuffer) {
        this.useJitterBuffer = jitterBuffer;
        this.callId = callId;
        this.localPort = localPort;
        this.pacer = pacer;
        this.rtcpMux = rtcpMux;
        this.rtcp = new RtcpSession(sender.ssrc, clock);
    }

    /** The Netty handler to bind on this session's port. */
    public SimpleChannelInboundHandler<DatagramPacket> handler() {
        return receiver;
    }

    /** The Netty handler to bind on the RTCP port ({@code localPort + 1}) when RTCP is not multiplexed. */
    public SimpleChannelInboundHandler<DatagramPacket> rtcpHandler() {
        return rtcpReceiver;
    }

    /** Gives the session its bound socket. */
    public void attach(Channel bound) {
        this.channel = bound;
    }

    /** Gives the session its bound RTP socket and its RTCP socket (null with rtcp-mux). */
    public void attach(Channel bound, @Nullable Channel rtcpBound) {
        this.channel = bound;
        this.rtcpChannel = rtcpBound;
    }

    /** Whether RTCP shares the RTP port (RFC 5761). */
    public boolean rtcpMux() {
        return rtcpMux;
    }

    public int localPort() {
        return localPort;
    }

    /**
     * As {@link #start(MediaParams, QueueMediaPort)}, and calls {@code timeout.onExpired} once when the caller has sent
     * nothing for {@code timeout.active()} (or {@code onHold()} while we are not sending).
     */
    public void start(MediaParams params, QueueMediaPort port, MediaTimeout timeout) {
        start(params, port, timeout, null);
    }

    /**
     * As {@link #start(MediaParams, QueueMediaPort, MediaTimeout)}, and shows {@code tap} (when not null) every frame
     * heard from the caller and every frame of the assistant's sent to the caller, for the rest of the call.
     */
    public void start(MediaParams params, QueueMediaPort port, @Nullable MediaTimeout timeout, @Nullable MediaTap tap) {
        this.timeout = timeout;
        begin(params, port, tap);
    }

    /**
     * Starts watching for silence from now on: for media started without a timeout (early media, where the far end
     * may stay silent while it rings), once the call is answered.
     */
    public void watchSilence(MediaTimeout timeout) {
        lastHeardTick = pacer.currentTick();
        this.timeout = timeout;
    }

    /** Starts media both ways with what offer/answer settled; audio crosses to the assistant through {@code port}. */
    public void start(MediaParams params, QueueMediaPort port) {
        begin(params, port, null);
    }

    private void begin(MediaParams params, QueueMediaPort port, @Nullable MediaTap tap) {
        if (closed.get()) {
            throw new IllegalStateException("media session of call " + callId + " is closed");
        }
        if (channel == null) {
            throw new IllegalStateException("media session of call " + callId + " has no socket");
        }
        int frameSamples = params.codec().samplesPerFrame(20);
        sender.begin(params, frameSamples);
        // Published once; the receive path sets itself up from it on its first packet.
        lastHeardTick = pacer.currentTick();
        running = new Running(params, port, pacer.currentTick() + 1, frameSamples, tap);
        pacer.add(this);
        log.debug(
                "media {} <-> {}: RTP {} pt {}{} -> 20 ms frames{} -> assistant",
                localPort,
                params.remote(),
                params.codec().encodingName(),
                params.payloadType(),
                params.telephoneEventPayloadType() >= 0
                        ? ", telephone-event pt " + params.telephoneEventPayloadType()
                        : "",
                tap == null ? "" : " -> tap");
    }

    /**
     * Applies a new offer/answer on the same codec (RFC 3264 8: hold, resume, a moved media address, a refresh).
     * A new remote address drops the latch so that audio follows the new SDP until the caller's packets arrive.
     */
    public void redirect(InetSocketAddress remote, boolean send) {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("media session of call " + callId + " has not started");
        }
        MediaParams old = r.params();
        if (!old.remote().equals(remote)) {
            latched = null;
        }
        running = new Running(
                new MediaParams(
                        old.codec(),
                        old.payloadType(),
                        old.telephoneEventPayloadType(),
                        remote,
                        send,
                        old.remoteRtcpPort()),
                r.port(),
                r.startTick(),
                r.frameSamples(),
                r.tap());
        log.debug("media {} now {} {}", localPort, send ? "sending to" : "not sending to", remote);
    }

    /**
     * Swaps the codec mid-call (a re-INVITE that settled on another codec, RFC 3264 8.3.2) without a gap: the next
     * packet out is encoded with it and packets in are decoded by their payload type from now on. A codec at another
     * audio rate (G.722 at 16 kHz, G.711 at 8 kHz) is resampled to and from the rate the call started with, which the
     * assistant's port and the recording keep.
     */
    public void changeCodec(CodecInfo codec, int payloadType, int telephoneEventPayloadType) {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("media session of call " + callId + " has not started");
        }
        MediaParams old = r.params();
        running = new Running(
                new MediaParams(
                        codec, payloadType, telephoneEventPayloadType, old.remote(), old.send(), old.remoteRtcpPort()),
                r.port(),
                r.startTick(),
                r.frameSamples(),
                r.tap());
        log.debug(
                "media {}: codec now {} pt {}{}",
                localPort,
                codec.encodingName(),
                payloadType,
                codec.sampleRate() == r.sessionRate()
                        ? ""
                        : ", resampled " + codec.sampleRate() + " <-> " + r.sessionRate() + " Hz");
    }

    /** Where audio goes now: the latched source once the caller has sent, else the address from the SDP. */
    public @Nullable InetSocketAddress remote() {
        InetSocketAddress l = latched;
        Running r = running;
        return l != null ? l : r != null ? r.params.remote() : null;
    }

    public MediaStats stats() {
        return new MediaStats(
                packetsReceived.get(),
                packetsSent.get(),
                droppedInvalid.get(),
                droppedWrongSource.get(),
                droppedPayloadType.get(),
                droppedLate.get(),
                telephoneEvents.get());
    }

    /** How many times audio followed the caller to a new source address after probation. */
    public long relatched() {
        return relatched.get();
    }

    /** What the jitter buffer did with the caller's packets: late, lost (concealed), reordered, its delay. */
    public JitterStats jitterBuffer() {
        return receiver.jitterStats();
    }

    /** Loss and jitter of the caller's stream (RFC 3550 A.3, A.8). */
    public ReceptionStats reception() {
        return receiver.reception();
    }

    /** What RTCP said so far: round-trip time and the loss the caller reports for our stream (RFC 3550 6.4). */
    public RtcpStats rtcp() {
        return rtcp.stats();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops media and closes the sockets; the port goes back to the pool once both are closed. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pacer.remove(this);
            receiver.stop();
            Running r = running;
            if (r != null) {
                r.port.close();
                sender.goodbye(r); // before the sockets close: Netty writes it first
            }
            Channel ch = channel;
            if (ch != null) {
                // The pool gets the port back from the close future's listener (MediaEngine.open).
                closeSocket(ch);
            }
            Channel rtcpCh = rtcpChannel;
            if (rtcpCh != null) {
                closeSocket(rtcpCh);
            }
        }
    }

    private void closeSocket(Channel ch) {
        ch.close().addListener(f -> {
            if (!f.isSuccess()) {
                log.warn(
                        "media {}: socket did not close: {}",
                        localPort,
                        f.cause().toString());
            }
        });
    }

    // ---- send path: pacer thread ----

    private final Sender sender = new Sender();
    /** The last tick sent on; pacer thread only. */
    private long lastTick = Long.MIN_VALUE;

    @Override
    public void tick(long tick) {
        Running r = running;
        if (r == null || closed.get() || tick <= lastTick) {
            return; // a repeat: the session moved to a later phase of a period it had sent in
        }
        lastTick = tick;
        sender.tick(r, tick);
        if (rtcp.due(tick)) {
            sender.report(r, tick);
        }
        MediaTimeout t = timeout;
        if (t != null && !timedOut) {
            long silentMillis = (tick - lastHeardTick) * 20L;
            long limit = (r.params().send() ? t.active() : t.onHold()).toMillis();
            if (silentMillis > limit) {
                timedOut = true; // once: the pacer thread is the only one that reads or writes it
                t.onExpired().run();
            }
        }
    }

    /**
     * Outbound RTP state, touched only by the pacer thread after {@link #begin}.
     *
     * <p>Keys the assistant sends ({@link QueueMediaPort#pollDigit}) go one at a time, ahead of its queued audio,
     * which waits meanwhile. With telephone-event negotiated a key takes {@link #KEY_TONE_TICKS} event packets and
     * {@link #KEY_END_PACKETS} end packets, one a tick, then {@link #KEY_PAUSE_TICKS} ticks in which audio flows again
     * before the next key; without, {@link #KEY_TONE_TICKS} frames of its two tones and {@link #KEY_PAUSE_TICKS} of
     * silence go as ordinary audio.
     */
    private final class Sender {
        private static final int NO_KEY = -1;

        private final long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
        private final long timestampBase = ThreadLocalRandom.current().nextLong(1L << 32);
        private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
        private int silenceLeft = SILENCE_BURST_FRAMES;
        private boolean talking;
        private byte[] scratch = new byte[0];
        private final byte[] rtcpScratch = new byte[RtcpSession.MAX_REPORT];
        /** RTP payload octets sent, for the SR's sender octet count (RFC 3550 6.4.1). */
        private long octetsSent;

        private short[] silence = new short[0];
        private @Nullable AudioEncoder encoder;
        /** From the session's rate to the codec's, after a change of codec to another rate; else null. */
        private @Nullable Resampler toCodecRate;

        private short[] resampled = new short[0];
        /** The codec {@link #encoder} encodes. */
        private @Nullable CodecInfo encoding;
        /** The RFC 4733 event code of the key being sent, or {@link #NO_KEY}. */
        private int keyCode = NO_KEY;
        /** Ticks of the current key done. */
        private int keyTick;
        /** Ticks the current key takes in all, its pause included. */
        private int keyTicks;
        /** RFC 4733 2.5.1.2: every packet of an event carries the timestamp of its start. */
        private long keyTimestamp;
        /** In band: the key's tones, then its pause, a frame a tick. Empty when the key goes as telephone-events. */
        private short[][] keyFrames = new short[0][];

        void begin(MediaParams params, int frameSamples) {
            encoder = Codecs.encoder(params.codec());
            encoding = params.codec();
            scratch = new byte[RtpPacket.FIXED_HEADER + 4 * frameSamples];
            silence = new short[frameSamples];
        }

        private long timestampAt(Running r, long tick) {
            return (timestampBase + (tick - r.startTick) * r.params.codec().rtpTimestampIncrement(20)) & 0xffff_ffffL;
        }

        void tick(Running r, long tick) {
            if (!r.params().codec().equals(encoding)) {
                encoder = Codecs.encoder(r.params().codec()); // the codec changed mid-call
                encoding = r.params().codec();
                toCodecRate = r.resampler(true);
                resampled = new short[r.params().codec().samplesPerFrame(20)];
            }
            long timestamp = timestampAt(r, tick);
            if (keyCode == NO_KEY) {
                Character key = r.port.pollDigit();
                if (key != null) {
                    startKey(r, key, timestamp);
                }
            }
            if (keyCode != NO_KEY) {
                int code = keyCode;
                int at = keyTick++;
                if (keyTick == keyTicks) {
                    keyCode = NO_KEY; // the next key may start on the next tick
                }
                if (keyFrames.length > 0) {
                    send(r, keyFrames[at], timestamp, tick, true); // in place of the assistant's audio, which waits
                    return;
                }
                if (at < KEY_TONE_TICKS + KEY_END_PACKETS) {
                    sendEvent(r, code, at); // the assistant's audio waits
                    return;
                }
                // The pause after the key's events: the assistant's audio flows again.
            }
            short[] frame = r.port.pollToCaller();
            boolean assistantAudio = frame != null;
            if (frame == null) {
                if (silenceLeft == 0) {
                    talking = false; // next packet starts a talkspurt: marker bit (RFC 3551 4.1)
                    return;
                }
                silenceLeft--;
                frame = silence;
            }
            send(r, frame, timestamp, tick, assistantAudio);
        }

        private void startKey(Running r, char key, long timestamp) {
            keyCode = DtmfEvent.eventCodeOf(key);
            keyTick = 0;
            keyTimestamp = timestamp;
            silenceLeft = 0; // the key opens the way through NATs as well as the silence would
            if (r.params.telephoneEventPayloadType() >= 0) {
                keyTicks = KEY_TONE_TICKS + KEY_END_PACKETS + KEY_PAUSE_TICKS;
                keyFrames = new short[0][];
            } else {
                // ITU-T Q.23 tones at the codec's rate, then silence.
                int samples = r.frameSamples();
                short[] tones = DtmfTones.key(key, r.sessionRate(), KEY_TONE_TICKS * samples);
                keyTicks = KEY_TONE_TICKS + KEY_PAUSE_TICKS;
                keyFrames = new short[keyTicks][];
                for (int i = 0; i < keyTicks; i++) {
                    keyFrames[i] =
                            i < KEY_TONE_TICKS ? Arrays.copyOfRange(tones, i * samples, (i + 1) * samples) : silence;
                }
            }
            log.debug(
                    "media {}: sending DTMF {} {}",
                    localPort,
                    key,
                    keyFrames.length == 0 ? "as telephone-events" : "in band");
        }

        /** One RFC 4733 packet of the key started at {@link #keyTimestamp}, {@code at} ticks into it. */
        private void sendEvent(Running r, int code, int at) {
            talking = false; // the audio after the key starts a new talkspurt
            InetSocketAddress to = destination(r);
            Channel ch = channel;
            if (to == null || ch == null) {
                return;
            }
            // RFC 4733 2.5.1.2: the marker on the first packet, the start's timestamp on all, the duration growing a
            // packet's worth at a time in the event's clock, which the answer made the codec's RTP clock (2.1: 8000
            // for G.711 and G.722 alike); 2.5.1.4: the end packet is sent three times, unchanged.
            boolean end = at >= KEY_TONE_TICKS;
            int duration = Math.min(at + 1, KEY_TONE_TICKS) * r.params.codec().rtpTimestampIncrement(20);
            int length = RtpPacket.writeHeader(
                    scratch, 0, r.params.telephoneEventPayloadType(), at == 0, sequence, keyTimestamp, ssrc);
            length = TelephoneEvent.write(scratch, length, code, end, KEY_VOLUME, duration);
            transmit(ch, to, length);
        }

        /** One frame of audio; {@code assistantAudio} when the tap should see it as what the assistant said. */
        private void send(Running r, short[] frame, long timestamp, long tick, boolean assistantAudio) {
            if (assistantAudio) {
                silenceLeft = 0;
            }
            InetSocketAddress to = destination(r);
            AudioEncoder enc = encoder;
            Channel ch = channel;
            if (to == null || enc == null || ch == null) {
                return;
            }
            int at = RtpPacket.writeHeader(scratch, 0, r.params.payloadType(), !talking, sequence, timestamp, ssrc);
            Resampler resampler = toCodecRate;
            if (resampler == null) {
                at += enc.encode(frame, 0, frame.length, scratch, at);
            } else {
                int samples = resampler.process(frame, 0, frame.length, resampled, 0);
                at += enc.encode(resampled, 0, samples, scratch, at);
            }
            talking = true;
            transmit(ch, to, at);
            MediaTap tap = r.tap();
            if (tap != null && assistantAudio) {
                tap.said(tick, frame);
            }
        }

        /** Where packets go now, or {@code null} when they go nowhere (on hold, no address). */
        private @Nullable InetSocketAddress destination(Running r) {
            InetSocketAddress to = remote();
            return r.params.send() && to != null && !to.getAddress().isAnyLocalAddress() ? to : null;
        }

        /** Sends a compound RTCP report to where the caller takes RTCP (RFC 3550 6.4, RFC 5761). */
        void report(Running r, long tick) {
            Channel ch = rtcpMux ? channel : rtcpChannel;
            InetSocketAddress to = rtcpDestination(r);
            int length;
            synchronized (rtcp) { // the last report (goodbye) may come from another thread
                length = rtcp.write(
                        rtcpScratch, tick, packetsSent.get(), octetsSent, timestampAt(r, tick), receiver.reception());
            }
            if (ch == null || to == null) {
                return;
            }
            ByteBuf buf = ch.alloc().directBuffer(length);
            buf.writeBytes(rtcpScratch, 0, length);
            // Ownership of buf passes to the channel, which releases it once written.
            ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
        }

        /**
         * The last compound RTCP packet of the call (RFC 3550 6.3.7): a final report and a BYE for our source, so the
         * far end knows at once that our stream has ended. Called by {@link #close} on whatever thread ends the call.
         */
        void goodbye(Running r) {
            Channel ch = rtcpMux ? channel : rtcpChannel;
            InetSocketAddress to = rtcpDestination(r);
            if (ch == null || to == null || packetsSent.get() == 0) {
                return; // nothing sent, nothing to say goodbye to (RFC 3550 6.3.7: no BYE without RTP or RTCP sent)
            }
            byte[] buf = new byte[RtcpSession.MAX_REPORT + 8];
            int length;
            synchronized (rtcp) {
                long tick = pacer.currentTick();
                length = rtcp.write(
                        buf, tick, packetsSent.get(), octetsSent, timestampAt(r, tick), receiver.reception());
            }
            length = RtcpPacket.writeBye(buf, length, ssrc);
            ByteBuf out = ch.alloc().directBuffer(length);
            out.writeBytes(buf, 0, length);
            ch.writeAndFlush(new DatagramPacket(out, to), ch.voidPromise());
        }

        /**
         * Where RTCP goes: where the caller's RTCP comes from once it has sent some (symmetric, RFC 4961); else the
         * RTP destination's host at the SDP's {@code a=rtcp} port or the RTP port plus one; with rtcp-mux, the RTP
         * destination itself. Null when there is nowhere to send (no address, {@code 0.0.0.0}).
         */
        private @Nullable InetSocketAddress rtcpDestination(Running r) {
            InetSocketAddress from = rtcp.source();
            if (from != null) {
                return from;
            }
            InetSocketAddress rtpTo = remote();
            if (rtpTo == null
                    || rtpTo.getAddress() == null
                    || rtpTo.getAddress().isAnyLocalAddress()) {
                return null;
            }
            if (rtcpMux) {
                return rtpTo;
            }
            int port = r.params.remoteRtcpPort() > 0 ? r.params.remoteRtcpPort() : rtpTo.getPort() + 1;
            return new InetSocketAddress(rtpTo.getAddress(), port);
        }

        /** Sends the first {@code length} bytes of {@link #scratch} as the next packet. */
        private void transmit(Channel ch, InetSocketAddress to, int length) {
            sequence = (sequence + 1) & 0xffff;
            octetsSent += length - RtpPacket.FIXED_HEADER;
            ByteBuf buf = ch.alloc().directBuffer(length);
            buf.writeBytes(scratch, 0, length);
            // Ownership of buf passes to the channel, which releases it once written.
            ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
            packetsSent.incrementAndGet();
        }
    }

    // ---- receive path: event loop ----

    private final Receiver receiver = new Receiver();

    private final RtcpSession rtcp;

    private final RtcpReceiver rtcpReceiver = new RtcpReceiver();

    /** RTCP on its own port, touched only by that channel's event loop. */
    private final class RtcpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final byte[] rx = new byte[MAX_DATAGRAM];

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > MAX_DATAGRAM) {
                rtcp.drop("datagram of " + length + " octets");
                return;
            }
            content.getBytes(content.readerIndex(), rx, 0, length);
            fromCaller(rx, length, packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            rtcp.drop(cause.toString()); // ICMP port unreachable and the like: keep the call
        }
    }

    /** RTCP from the caller's host only: once RTP latched, RTCP from another host is dropped. */
    private void fromCaller(byte[] rx, int length, InetSocketAddress source) {
        InetSocketAddress rtp = latched;
        if (rtp != null && !rtp.getAddress().equals(source.getAddress())) {
            rtcp.drop("RTCP from " + source + ", not the caller's host");
            return;
        }
        rtcp.onPacket(rx, length, source);
    }

    /** Inbound RTP state, touched only by the channel's event loop. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final byte[] rx = new byte[MAX_DATAGRAM];
        private short[] pcm = new short[0];
        private @Nullable MediaParams params;
        private @Nullable AudioDecoder decoder;
        /** From the codec's rate to the session's, after a change of codec to another rate; else null. */
        private @Nullable Resampler fromCodecRate;

        private short[] atSessionRate = new short[0];
        private @Nullable FrameAssembler assembler;
        private int highestSequence = -1;
        /**
         * The caller's 20 ms packets wait here for their play-out time (reordered, deduplicated, losses concealed),
         * played out every 20 ms by {@link #playOut} on the pacer thread (the buffer is their lock). Null until the first
         * audio packet, and for callers whose packets are not 20 ms: their audio is cut into frames as it comes.
         */
        private volatile @Nullable JitterBuffer buffer;

        private boolean modeKnown;
        /** A source other than the latched one, on probation: its last sequence number and packets in sequence. */
        private @Nullable InetSocketAddress candidate;

        private int candidateSequence;
        private int candidatePackets;
        /** When the latched source last sent RTP. */
        private long latchedHeardNanos;

        private short[] oneFrame = new short[0];
        private final Pacer.Tickable playOutTick = this::playOut;
        /** The last tick played out on; pacer thread only. */
        private long lastPlayTick = Long.MIN_VALUE;
        /** The caller's packets seen so far for {@link #followCaller}, up to {@link #PHASE_PACKETS}. */
        private int phasePackets;
        /** The RTP timestamp of the caller's first packet: media time 0. */
        private long originTimestamp;
        /** When media time 0 would have arrived on the fastest path seen so far (a nanoTime reading). */
        private long fastestOrigin = Long.MAX_VALUE;
        /** Set once the phases were set from the fastest packets: from then on the play-out follows the target. */
        private volatile boolean phased;
        /** The play-out at which the target was last followed; pacer thread only. */
        private long followedAt;

        private @Nullable DtmfDetector inband;
        /** Set on the event loop by {@link #begin}, used there and by the play-out on the pacer thread. */
        private volatile java.util.function.Consumer<short[]> toAssistant = frame -> {};

        private final TelephoneEventReceiver dtmf = new TelephoneEventReceiver(8000);
        // RFC 3550 A.3 and A.8: loss and jitter of the caller's stream, counted on the event loop under this lock and
        // read from other threads (RTCP reports on the pacer, call records) as a snapshot made when asked for: a
        // record made for every packet was 5 % of the softswitch's allocation at 500 echo calls (JFR).
        private final Object receptionLock = new Object();
        private long lastSsrc = -1;
        private int clockRate = 8000;
        private int baseSequence = -1;
        private int maxSequence;
        private long cycles;
        private long arrived;
        private long lastTransit = Long.MIN_VALUE;
        private double jitter;

        private void begin(Running r) {
            params = r.params();
            decoder = Codecs.decoder(r.params().codec());
            fromCodecRate = r.resampler(false); // the codec may have changed before the caller's first packet
            assembler = new FrameAssembler(r.frameSamples());
            pcm = new short[MAX_DATAGRAM * 2];
            // Without telephone-event, keys arrive as tones in the audio: listen for them (ITU-T Q.24).
            inband = r.params().telephoneEventPayloadType() < 0 ? new DtmfDetector(r.sessionRate()) : null;
            QueueMediaPort port = r.port();
            DtmfDetector detector = inband;
            java.util.function.Consumer<short[]> toPort = detector == null
                    ? port::offerFromCaller
                    : frame -> {
                        for (char digit : detector.process(frame).toCharArray()) {
                            log.debug("media {}: DTMF {} in band", localPort, digit);
                            port.offerDtmf(new DtmfEvent(digit, 0, DtmfEvent.Method.INBAND));
                        }
                        port.offerFromCaller(frame);
                    };
            MediaTap tap = r.tap();
            toAssistant = tap == null
                    ? toPort
                    : frame -> {
                        tap.heard(pacer.currentTick(), frame);
                        toPort.accept(frame);
                    };
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Running r = running;
            if (r != null && params == null) {
                begin(r);
            } else if (r != null && r.params() != params) {
                follow(r);
            }
            MediaParams p = params;
            AudioDecoder dec = decoder;
            FrameAssembler asm = assembler;
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (p == null || dec == null || asm == null || r == null || length > MAX_DATAGRAM) {
                droppedInvalid.incrementAndGet();
                return;
            }
            content.getBytes(content.readerIndex(), rx, 0, length);
            if (rtcpMux && RtcpPacket.isRtcp(rx, length)) {
                fromCaller(rx, length, packet.sender()); // RFC 5761 4: RTCP types where RTP's would be 64-95
                return;
            }
            if (RtpPacket.validate(rx, length) != null) {
                droppedInvalid.incrementAndGet();
                return;
            }
            InetSocketAddress source = packet.sender();
            InetSocketAddress current = latched;
            long now = System.nanoTime();
            if (current == null) {
                latched = source; // symmetric RTP: answer where the caller really sends from
                log.debug("media {} latched to {}", localPort, source);
            } else if (!current.equals(source)) {
                if (!onProbation(source, RtpPacket.sequence(rx), now)) {
                    droppedWrongSource.incrementAndGet();
                    return;
                }
                log.info("media {}: the caller moved from {} to {}; following it", localPort, current, source);
                relatched.incrementAndGet();
                latched = source;
            }
            latchedHeardNanos = now;
            lastHeardTick = pacer.currentTick();
            int pt = RtpPacket.payloadType(rx);
            count(RtpPacket.sequence(rx), pt == p.payloadType() ? RtpPacket.timestamp(rx) : -1, RtpPacket.ssrc(rx), p);
            if (pt == p.telephoneEventPayloadType()) {
                telephoneEvents.incrementAndGet(); // never passed on as audio
                int offset = RtpPacket.payloadOffset(rx, length);
                if (RtpPacket.payloadLength(rx, length) >= TelephoneEvent.LENGTH) {
                    for (DtmfEvent key : dtmf.onPacket(
                            RtpPacket.timestamp(rx),
                            TelephoneEvent.event(rx, offset),
                            TelephoneEvent.isEnd(rx, offset),
                            TelephoneEvent.duration(rx, offset))) {
                        log.debug("media {}: DTMF {} ({} ms)", localPort, key.digit(), key.durationMs());
                        r.port.offerDtmf(key);
                    }
                }
                return;
            }
            if (pt != p.payloadType()) {
                droppedPayloadType.incrementAndGet();
                return;
            }
            int seq = RtpPacket.sequence(rx);
            JitterBuffer jb = buffer;
            if (jb == null && highestSequence >= 0) {
                int delta = (short) (seq - highestSequence); // RFC 3550 A.1: modulo 2^16 distance
                if (delta <= 0 && delta > -MAX_MISORDER) {
                    droppedLate.incrementAndGet(); // without a jitter buffer a reordered packet is too late
                    return;
                }
            }
            highestSequence = seq;
            packetsReceived.incrementAndGet();
            int offset = RtpPacket.payloadOffset(rx, length);
            int decoded = dec.decode(rx, offset, RtpPacket.payloadLength(rx, length), pcm, 0);
            short[] audio = pcm;
            int samples = decoded;
            Resampler resampler = fromCodecRate;
            if (resampler != null && decoded > 0) {
                int wanted = resampler.outputLength(decoded);
                if (atSessionRate.length < wanted) {
                    atSessionRate = new short[wanted];
                }
                samples = resampler.process(pcm, 0, decoded, atSessionRate, 0);
                audio = atSessionRate;
            }
            if (!modeKnown) {
                modeKnown = true;
                if (useJitterBuffer && samples == r.frameSamples()) {
                    jb = startJitterBuffer(r, pacer.phaseAt(now + JitterBuffer.PLAYOUT_LEAD_NANOS));
                }
            }
            if (phasePackets < PHASE_PACKETS) {
                followCaller(RtpPacket.timestamp(rx), p.codec().rtpClockRate(), now);
            }
            if (jb != null && samples == r.frameSamples()) {
                System.arraycopy(audio, 0, oneFrame, 0, samples);
                synchronized (jb) {
                    jb.put(seq, RtpPacket.timestamp(rx), oneFrame, System.nanoTime());
                }
            } else {
                asm.add(audio, samples, toAssistant);
            }
        }

        /**
         * Whether a packet from a source other than the latched one completes its probation: the latched source has
         * been silent for {@link #RELATCH_SILENCE_NANOS} (its NAT binding changed, say) and this source has sent
         * {@link #PROBATION_PACKETS} packets in sequence. Until then its packets are dropped, so a stranger cannot take
         * the call's audio by sending a packet or two, nor at all while the caller still talks.
         */
        private boolean onProbation(InetSocketAddress source, int sequence, long now) {
            if (source.equals(candidate) && sequence == ((candidateSequence + 1) & 0xffff)) {
                candidatePackets++;
            } else {
                candidate = source;
                candidatePackets = 1;
            }
            candidateSequence = sequence;
            if (candidatePackets >= PROBATION_PACKETS && now - latchedHeardNanos >= RELATCH_SILENCE_NANOS) {
                candidate = null;
                candidatePackets = 0;
                return true;
            }
            return false;
        }

        /**
         * The session's parameters changed (a re-INVITE): a new codec gets its decoder (and a resampler to the session's
         * rate when it runs at another), new payload types count.
         */
        private void follow(Running r) {
            MediaParams old = params;
            if (old == null || !old.codec().equals(r.params().codec())) {
                decoder = Codecs.decoder(r.params().codec());
                fromCodecRate = r.resampler(false);
            }
            params = r.params();
        }

        /**
         * Starts the buffer and its play-out: on the pacer at {@code phase}, the phase that follows the caller's packets
         * by {@link JitterBuffer#PLAYOUT_LEAD_NANOS}, so that each frame waits the buffer's least delay and no more.
         * The pacer's one wake serves every call in that phase, where a timer per call would wake the event loop for each.
         */
        private JitterBuffer startJitterBuffer(Running r, int phase) {
            JitterBuffer jb =
                    new JitterBuffer(r.frameSamples(), r.params().codec().rtpTimestampIncrement(20));
            oneFrame = new short[r.frameSamples()];
            buffer = jb;
            pacer.add(playOutTick, phase);
            if (closed.get()) {
                pacer.remove(playOutTick); // closed meanwhile: close() may have looked before the add
            }
            return jb;
        }

        /**
         * Sets the call's play-out and sends to the phases that follow the caller's packets: on its first packet, and
         * again on the {@link #PHASE_PACKETS}th from the fastest of them. The first packets come while the call is being
         * set up, when this host is busiest; phased on a slow one, every frame would wait that much longer for good.
         */
        private void followCaller(long timestamp, int clockRate, long now) {
            if (phasePackets == 0) {
                originTimestamp = timestamp;
            }
            long mediaNanos = (int) (timestamp - originTimestamp) * 1_000_000_000L / clockRate;
            fastestOrigin = Math.min(fastestOrigin, now - mediaNanos);
            phasePackets++;
            if (phasePackets == 1 || phasePackets == PHASE_PACKETS) {
                long playOutAt = fastestOrigin;
                if (buffer != null) {
                    playOutAt += JitterBuffer.PLAYOUT_LEAD_NANOS;
                    pacer.move(playOutTick, pacer.phaseAt(playOutAt));
                }
                // Our sends follow: the assistant's answer to a frame goes out in the same period.
                pacer.move(MediaSession.this, pacer.phaseAt(playOutAt + TURNAROUND_NANOS));
                phased = phasePackets == PHASE_PACKETS;
            }
        }

        /**
         * Every {@link #FOLLOW_TARGET_TICKS} play-outs, once the phases were set from the fastest packets: moves the
         * play-out (and our sends, the turnaround after it) to where the buffer's delay is its target, to the
         * millisecond ({@link JitterBuffer#playOutInstant}). Without this the delay could only step by whole frames
         * from the lead set at the start: a target of 12 ms on a lead of 11 meant 31 ms for the rest of the call. It
         * also follows a caller whose clock drifts from ours. Pacer thread, just after the play-out of {@code tick} at
         * {@code now}: both are shifted by the same amount, and the tick numbers they last ran on are set so that each
         * runs next at its shifted instant, whatever period that falls in.
         */
        private void followTarget(JitterBuffer jb, long tick, long now) {
            if (!phased || tick - followedAt < FOLLOW_TARGET_TICKS) {
                return;
            }
            followedAt = tick;
            long instant;
            synchronized (jb) {
                instant = jb.playOutInstant(now);
            }
            if (instant == Long.MIN_VALUE) {
                return;
            }
            int playPhase = pacer.phaseOf(playOutTick);
            int sendPhase = pacer.phaseOf(MediaSession.this);
            if (playPhase < 0 || sendPhase < 0) {
                return; // closing
            }
            long phaseNanos = pacer.periodNanos() / pacer.phases();
            long shift = (Math.floorMod(pacer.phaseAt(instant) - playPhase + pacer.phases() / 2, pacer.phases())
                            - pacer.phases() / 2)
                    * phaseNanos;
            if (Math.abs(shift) < FOLLOW_MIN_SHIFT_NANOS) {
                return;
            }
            shift = Math.clamp(shift, -FOLLOW_MAX_EARLIER_NANOS, FOLLOW_MAX_LATER_NANOS);
            long play = pacer.nextRun(playPhase, now) + shift;
            long send = pacer.nextRun(sendPhase, now) + shift;
            if (play <= now || send <= now) {
                return; // this wake came too late to move them cleanly: the next follow will
            }
            pacer.move(playOutTick, pacer.phaseAt(play));
            lastPlayTick = pacer.tickAt(play) - 1;
            pacer.move(MediaSession.this, pacer.phaseAt(send));
            lastTick = pacer.tickAt(send) - 1;
        }

        /**
         * Every 20 ms on the pacer thread: the next frame in order (or its concealment) goes to the assistant. A tick
         * seen before is skipped (the play-out moved to a later phase), and one period missed (it moved to an earlier
         * phase, or the pacer woke a period late) is made up, so the buffer's delay does not change. A play-out that
         * finds the next frame missing within a period of a pause of this host ({@link Pacer#pausedWithin}) is let go,
         * to be made up the same way.
         */
        private void playOut(long tick) {
            long last = lastPlayTick;
            if (tick <= last) {
                return;
            }
            JitterBuffer jb = buffer;
            if (jb != null && tick != last + 2 && pacer.pausedWithin(pacer.periodNanos()) && nextIsMissing(jb)) {
                // This host paused just now: the frame most likely came meanwhile and is still in the socket, or in
                // the event loop's backlog. The next period plays both, rather than conceal it and count it late,
                // which would make the buffer wait longer for every frame after, as if the network were jittery.
                return;
            }
            lastPlayTick = tick;
            playOut();
            if (tick == last + 2) {
                playOut();
            }
            if (jb != null) {
                followTarget(jb, tick, System.nanoTime());
            }
        }

        private static boolean nextIsMissing(JitterBuffer jb) {
            synchronized (jb) {
                return jb.nextIsMissing();
            }
        }

        /**
         * The next frame in order (or its concealment) goes to the assistant. The buffer is shared with the event loop
         * that fills it, under its own lock; the frame is handed over outside it.
         */
        private void playOut() {
            JitterBuffer jb = buffer;
            if (jb == null || closed.get()) {
                return;
            }
            short[] frame;
            synchronized (jb) {
                frame = jb.poll(System.nanoTime());
                if (frame != null) {
                    frame = frame.clone(); // the buffer reuses its array; the port keeps what it gets
                }
            }
            if (frame != null) {
                toAssistant.accept(frame);
            }
        }

        private void stop() {
            pacer.remove(playOutTick);
        }

        /** What the jitter buffer did so far; {@link JitterStats#NONE} before the caller's first 20 ms packet. */
        JitterStats jitterStats() {
            JitterBuffer jb = buffer;
            if (jb == null) {
                return JitterStats.NONE;
            }
            synchronized (jb) {
                return jb.stats();
            }
        }

        /** RFC 3550 A.3 and A.8 as they stand now. */
        ReceptionStats reception() {
            synchronized (receptionLock) {
                if (baseSequence < 0) {
                    return ReceptionStats.NONE;
                }
                long expected = cycles + maxSequence - baseSequence + 1;
                return new ReceptionStats(
                        expected,
                        expected - arrived,
                        jitter * 1000.0 / clockRate,
                        lastSsrc,
                        cycles + maxSequence,
                        (long) jitter);
            }
        }

        /** RFC 3550 A.3 (extended sequence numbers, loss) and A.8 (jitter, audio packets only). */
        private void count(int seq, long timestamp, long ssrc, MediaParams p) {
            synchronized (receptionLock) {
                countLocked(seq, timestamp, ssrc, p);
            }
        }

        private void countLocked(int seq, long timestamp, long ssrc, MediaParams p) {
            arrived++;
            lastSsrc = ssrc;
            clockRate = p.codec().rtpClockRate();
            if (baseSequence < 0) {
                baseSequence = seq;
                maxSequence = seq;
            } else {
                int delta = (seq - maxSequence) & 0xffff;
                if (delta > 0 && delta < 0x8000) {
                    if (seq < maxSequence) {
                        cycles += 1 << 16; // wrapped
                    }
                    maxSequence = seq;
                }
            }
            if (timestamp >= 0) {
                int rate = p.codec().rtpClockRate();
                long arrival = System.nanoTime() / 1000 * rate / 1_000_000;
                long transit = arrival - timestamp;
                if (lastTransit != Long.MIN_VALUE) {
                    long d = Math.abs(transit - lastTransit);
                    jitter += (d - jitter) / 16.0;
                }
                lastTransit = transit;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: count it, keep the call.
            droppedInvalid.incrementAndGet();
            log.debug("media {}: {}", localPort, cause.toString());
        }
    }
}
