package dev.softswitch.rtp.pacer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.util.function.LongSupplier;

/**
 * Times the RTP packets one socket sends, on its event loop just before they are written, into {@link SendIntervals}:
 * what the far end sees of our 20 ms clock, the pacer's lateness and the event loop's delay included. RTCP packets on a
 * multiplexed socket (RFC 5761 4: payload types 64-95 with the marker bit) are not timed; a packet with the marker bit
 * starts a talkspurt and is not compared with the packet before it. One instance per socket: not sharable.
 */
public final class SendClock extends ChannelOutboundHandlerAdapter {

    private final SendIntervals intervals;
    private final LongSupplier nanoClock;
    private long last = -1;

    public SendClock(SendIntervals intervals, LongSupplier nanoClock) {
        this.intervals = intervals;
        this.nanoClock = nanoClock;
    }

    public SendClock(SendIntervals intervals) {
        this(intervals, System::nanoTime);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof DatagramPacket packet) {
            time(packet.content());
        }
        ctx.write(msg, promise);
    }

    /** Package-private for tests: the clock's reading for one datagram. */
    void time(ByteBuf datagram) {
        if (datagram.readableBytes() < 12 || (datagram.getByte(datagram.readerIndex()) & 0xc0) != 0x80) {
            return; // not RTP
        }
        int second = datagram.getByte(datagram.readerIndex() + 1) & 0xff;
        int payloadType = second & 0x7f;
        if (payloadType >= 64 && payloadType <= 95) {
            return; // RTCP multiplexed on the RTP port
        }
        long now = nanoClock.getAsLong();
        if ((second & 0x80) == 0 && last >= 0) {
            intervals.record(now - last);
        }
        last = now;
    }
}
