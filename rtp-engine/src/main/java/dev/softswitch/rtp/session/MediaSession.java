package dev.softswitch.rtp.session;

import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.codecs.AudioDecoder;
import dev.softswitch.codecs.AudioEncoder;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.codecs.DtmfDetector;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.packet.RtpPacket;
import dev.softswitch.rtp.packet.TelephoneEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTP: a UDP socket on a leased port. Inbound packets are checked, latched to the caller's real source
 * (symmetric RTP, RFC 4961), decoded and cut into 20 ms frames for the assistant; on each pacer tick the next frame
 * the assistant queued is encoded and sent to where the caller's packets come from.
 *
 * <p>Threads: the receive path runs on the channel's event loop, the send path on the pacer thread; each keeps its
 * own state. {@link #start} publishes the negotiated parameters to both through one volatile field.
 */
public final class MediaSession implements Pacer.Tickable, AutoCloseable {

    /** Silence frames sent at start even when the assistant is quiet, so NATs and firewalls open toward us. */
    static final int SILENCE_BURST_FRAMES = 5;

    private static final int MAX_DATAGRAM = 1500;
    /** RFC 3550 A.1: a jump back further than this is a restarted sender, not a late packet. */
    private static final int MAX_MISORDER = 100;

    private static final Logger log = LoggerFactory.getLogger(MediaSession.class);

    private final String callId;
    private final int localPort;
    private final Pacer pacer;
    private volatile @Nullable Channel channel;
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

    /** State fixed at start: what both directions need. */
    private record Running(MediaParams params, QueueMediaPort port, long startTick, int frameSamples) {}

    /** Made by {@code MediaEngine.open}, which binds {@link #handler()} to the port and then {@link #attach}es. */
    public MediaSession(String callId, int localPort, Pacer pacer) {
        this.callId = callId;
        this.localPort = localPort;
        this.pacer = pacer;
    }

    /** The Netty handler to bind on this session's port. */
    public SimpleChannelInboundHandler<DatagramPacket> handler() {
        return receiver;
    }

    /** Gives the session its bound socket. */
    public void attach(Channel bound) {
        this.channel = bound;
    }

    public int localPort() {
        return localPort;
    }

    /**
     * As {@link #start(MediaParams, QueueMediaPort)}, and calls {@code timeout.onExpired} once when the caller has sent
     * nothing for {@code timeout.active()} (or {@code onHold()} while we are not sending).
     */
    public void start(MediaParams params, QueueMediaPort port, MediaTimeout timeout) {
        this.timeout = timeout;
        start(params, port);
    }

    /** Starts media both ways with what offer/answer settled; audio crosses to the assistant through {@code port}. */
    public void start(MediaParams params, QueueMediaPort port) {
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
        running = new Running(params, port, pacer.currentTick() + 1, frameSamples);
        pacer.add(this);
        log.debug(
                "media {} <-> {}: RTP {} pt {}{} -> 20 ms frames -> assistant",
                localPort,
                params.remote(),
                params.codec().encodingName(),
                params.payloadType(),
                params.telephoneEventPayloadType() >= 0
                        ? ", telephone-event pt " + params.telephoneEventPayloadType()
                        : "");
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
                new MediaParams(old.codec(), old.payloadType(), old.telephoneEventPayloadType(), remote, send),
                r.port(),
                r.startTick(),
                r.frameSamples());
        log.debug("media {} now {} {}", localPort, send ? "sending to" : "not sending to", remote);
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

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops media and closes the socket; the port goes back to the pool once the socket is closed. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pacer.remove(this);
            Running r = running;
            if (r != null) {
                r.port.close();
            }
            Channel ch = channel;
            if (ch != null) {
                // The pool gets the port back from the close future's listener (MediaEngine.open).
                ch.close().addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn(
                                "media {}: socket did not close: {}",
                                localPort,
                                f.cause().toString());
                    }
                });
            }
        }
    }

    // ---- send path: pacer thread ----

    private final Sender sender = new Sender();

    @Override
    public void tick(long tick) {
        Running r = running;
        if (r == null || closed.get()) {
            return;
        }
        short[] frame = r.port.pollToCaller();
        sender.send(r, frame, tick);
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

    /** Outbound RTP state, touched only by the pacer thread after {@link #begin}. */
    private final class Sender {
        private final long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
        private final long timestampBase = ThreadLocalRandom.current().nextLong(1L << 32);
        private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
        private int silenceLeft = SILENCE_BURST_FRAMES;
        private boolean talking;
        private byte[] scratch = new byte[0];
        private short[] silence = new short[0];
        private @Nullable AudioEncoder encoder;

        void begin(MediaParams params, int frameSamples) {
            encoder = Codecs.encoder(params.codec());
            scratch = new byte[RtpPacket.FIXED_HEADER + 4 * frameSamples];
            silence = new short[frameSamples];
        }

        void send(Running r, short @Nullable [] frame, long tick) {
            if (frame == null) {
                if (silenceLeft == 0) {
                    talking = false; // next packet starts a talkspurt: marker bit (RFC 3551 4.1)
                    return;
                }
                silenceLeft--;
                frame = silence;
            } else {
                silenceLeft = 0;
            }
            InetSocketAddress to = remote();
            AudioEncoder enc = encoder;
            Channel ch = channel;
            if (!r.params.send() || to == null || to.getAddress().isAnyLocalAddress() || enc == null || ch == null) {
                return;
            }
            long timestamp =
                    (timestampBase + (tick - r.startTick) * r.params.codec().rtpTimestampIncrement(20)) & 0xffff_ffffL;
            int at = RtpPacket.writeHeader(scratch, 0, r.params.payloadType(), !talking, sequence, timestamp, ssrc);
            at += enc.encode(frame, 0, frame.length, scratch, at);
            talking = true;
            sequence = (sequence + 1) & 0xffff;
            ByteBuf buf = ch.alloc().directBuffer(at);
            buf.writeBytes(scratch, 0, at);
            // Ownership of buf passes to the channel, which releases it once written.
            ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
            packetsSent.incrementAndGet();
        }
    }

    // ---- receive path: event loop ----

    private final Receiver receiver = new Receiver();

    /** Inbound RTP state, touched only by the channel's event loop. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final byte[] rx = new byte[MAX_DATAGRAM];
        private short[] pcm = new short[0];
        private @Nullable MediaParams params;
        private @Nullable AudioDecoder decoder;
        private @Nullable FrameAssembler assembler;
        private int highestSequence = -1;
        private @Nullable DtmfDetector inband;
        private java.util.function.Consumer<short[]> toAssistant = frame -> {};
        private final TelephoneEventReceiver dtmf = new TelephoneEventReceiver(8000);

        private void begin(Running r) {
            params = r.params();
            decoder = Codecs.decoder(r.params().codec());
            assembler = new FrameAssembler(r.frameSamples());
            pcm = new short[MAX_DATAGRAM * 2];
            // Without telephone-event, keys arrive as tones in the audio: listen for them (ITU-T Q.24).
            inband = r.params().telephoneEventPayloadType() < 0
                    ? new DtmfDetector(r.params().codec().sampleRate())
                    : null;
            QueueMediaPort port = r.port();
            DtmfDetector detector = inband;
            toAssistant = detector == null
                    ? port::offerFromCaller
                    : frame -> {
                        for (char digit : detector.process(frame).toCharArray()) {
                            log.debug("media {}: DTMF {} in band", localPort, digit);
                            port.offerDtmf(new DtmfEvent(digit, 0, DtmfEvent.Method.INBAND));
                        }
                        port.offerFromCaller(frame);
                    };
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Running r = running;
            if (r != null && params == null) {
                begin(r);
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
            if (RtpPacket.validate(rx, length) != null) {
                droppedInvalid.incrementAndGet();
                return;
            }
            InetSocketAddress source = packet.sender();
            InetSocketAddress current = latched;
            if (current == null) {
                latched = source; // symmetric RTP: answer where the caller really sends from
                log.debug("media {} latched to {}", localPort, source);
            } else if (!current.equals(source)) {
                droppedWrongSource.incrementAndGet();
                return;
            }
            lastHeardTick = pacer.currentTick();
            int pt = RtpPacket.payloadType(rx);
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
            if (highestSequence >= 0) {
                int delta = (short) (seq - highestSequence); // RFC 3550 A.1: modulo 2^16 distance
                if (delta <= 0 && delta > -MAX_MISORDER) {
                    droppedLate.incrementAndGet();
                    return;
                }
            }
            highestSequence = seq;
            packetsReceived.incrementAndGet();
            int offset = RtpPacket.payloadOffset(rx, length);
            int samples = dec.decode(rx, offset, RtpPacket.payloadLength(rx, length), pcm, 0);
            asm.add(pcm, samples, toAssistant);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: count it, keep the call.
            droppedInvalid.incrementAndGet();
            log.debug("media {}: {}", localPort, cause.toString());
        }
    }
}
