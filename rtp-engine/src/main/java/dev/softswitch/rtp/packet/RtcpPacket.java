package dev.softswitch.rtp.packet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads compound RTCP packets held in a byte array (RFC 3550 6). Every RTCP packet starts with the same
 * header; {@code length} counts 32-bit words minus one, so a compound packet is its packets laid end to end:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            | header
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             | sender
 * |             NTP timestamp, least significant word             | info
 * |                         RTP timestamp                         | (SR
 * |                     sender's packet count                     |  only)
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 | report
 * | fraction lost |       cumulative number of packets lost       | block
 * |           extended highest sequence number received           |   1
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * The writers return the offset just past what they wrote; {@link #parse} checks a datagram as RFC 3550 A.2 asks
 * and returns an immutable {@link RtcpCompound}, or throws {@link RtcpParseException}.
 */
public final class RtcpPacket {

    /** RFC 3550 12.1 packet types. */
    public static final int SR = 200;

    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;

    /** RFC 3550 6.5: SDES item types. */
    static final int SDES_END = 0;

    static final int SDES_CNAME = 1;

    private static final int HEADER = 4;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private RtcpPacket() {}

    // ---- writing ----

    /** A Sender Report with at most one report block (RFC 3550 6.4.1). */
    public static int writeSenderReport(byte[] buf, int at, long ssrc, SenderInfo info, @Nullable ReportBlock block) {
        int count = block == null ? 0 : 1;
        int words = 1 + 5 + 6 * count;
        header(buf, at, count, SR, words);
        NetworkOrder.writeUint32(buf, at + 4, ssrc);
        NetworkOrder.writeUint32(buf, at + 8, info.ntpTimestamp() >>> 32);
        NetworkOrder.writeUint32(buf, at + 12, info.ntpTimestamp() & 0xffff_ffffL);
        NetworkOrder.writeUint32(buf, at + 16, info.rtpTimestamp());
        NetworkOrder.writeUint32(buf, at + 20, info.packetCount());
        NetworkOrder.writeUint32(buf, at + 24, info.octetCount());
        int end = at + 28;
        return block == null ? end : writeBlock(buf, end, block);
    }

    /** A Receiver Report with at most one report block (RFC 3550 6.4.2). */
    public static int writeReceiverReport(byte[] buf, int at, long ssrc, @Nullable ReportBlock block) {
        int count = block == null ? 0 : 1;
        header(buf, at, count, RR, 1 + 6 * count);
        NetworkOrder.writeUint32(buf, at + 4, ssrc);
        return block == null ? at + 8 : writeBlock(buf, at + 8, block);
    }

    /**
     * An SDES packet of one chunk holding one CNAME item (RFC 3550 6.5, 6.5.1), padded with null octets to a 32-bit
     * boundary (at least one, which ends the item list).
     */
    public static int writeSdesCname(byte[] buf, int at, long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            throw new IllegalArgumentException("a CNAME is at most 255 octets");
        }
        int items = 2 + text.length;
        int chunk = 4 + ((items + 1 + 3) & ~3); // SSRC, items, at least one null octet, to a word boundary
        header(buf, at, 1, SDES, chunk / 4);
        NetworkOrder.writeUint32(buf, at + 4, ssrc);
        buf[at + 8] = SDES_CNAME;
        buf[at + 9] = (byte) text.length;
        System.arraycopy(text, 0, buf, at + 10, text.length);
        int end = at + HEADER + chunk;
        for (int i = at + 10 + text.length; i < end; i++) {
            buf[i] = SDES_END;
        }
        return end;
    }

    /** A BYE for one source, without a reason (RFC 3550 6.6). */
    public static int writeBye(byte[] buf, int at, long ssrc) {
        header(buf, at, 1, BYE, 1);
        NetworkOrder.writeUint32(buf, at + 4, ssrc);
        return at + 8;
    }

    private static int writeBlock(byte[] buf, int at, ReportBlock b) {
        NetworkOrder.writeUint32(buf, at, b.ssrc());
        NetworkOrder.writeUint32(buf, at + 4, ((long) b.fractionLost() << 24) | (b.cumulativeLost() & 0xff_ffffL));
        NetworkOrder.writeUint32(buf, at + 8, b.extendedHighestSequence());
        NetworkOrder.writeUint32(buf, at + 12, b.jitter());
        NetworkOrder.writeUint32(buf, at + 16, b.lastSr());
        NetworkOrder.writeUint32(buf, at + 20, b.delaySinceLastSr());
        return at + ReportBlock.LENGTH;
    }

    private static void header(byte[] buf, int at, int count, int type, int wordsAfterHeader) {
        buf[at] = (byte) (0x80 | count);
        buf[at + 1] = (byte) type;
        buf[at + 2] = (byte) (wordsAfterHeader >>> 8);
        buf[at + 3] = (byte) wordsAfterHeader;
    }

    // ---- reading ----

    /**
     * Whether a datagram on a multiplexed port is RTCP rather than RTP (RFC 5761 4): its second octet, which RTP
     * splits into marker and payload type, is 192..223, covering SR, RR, SDES, BYE, APP and the feedback types.
     */
    public static boolean isRtcp(byte[] buf, int length) {
        if (length < HEADER) {
            return false;
        }
        int second = buf[1] & 0xff;
        return second >= 192 && second <= 223;
    }

    /**
     * Reads a compound packet (RFC 3550 A.2): every packet of version 2, the first an SR or RR, padding only on the
     * last, and the packets' lengths adding up to the datagram's.
     */
    public static RtcpCompound parse(byte[] buf, int length) throws RtcpParseException {
        if (length < HEADER || length > buf.length) {
            throw new RtcpParseException("shorter than an RTCP header");
        }
        if (length % 4 != 0) {
            throw new RtcpParseException("length " + length + " is not a multiple of 4");
        }
        List<RtcpReport> reports = new ArrayList<>();
        Map<Long, String> cnames = new HashMap<>();
        List<Long> bye = new ArrayList<>();
        int skipped = 0;
        int at = 0;
        while (at < length) {
            if (length - at < HEADER) {
                throw new RtcpParseException("trailing " + (length - at) + " octets after the last packet");
            }
            int version = (buf[at] & 0xc0) >>> 6;
            if (version != 2) {
                throw new RtcpParseException("RTCP version " + version);
            }
            boolean padding = (buf[at] & 0x20) != 0;
            int count = buf[at] & 0x1f;
            int type = buf[at + 1] & 0xff;
            int size = HEADER + 4 * (((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff));
            int end = at + size;
            if (end > length) {
                throw new RtcpParseException("packet type " + type + " of " + size + " octets runs past the datagram");
            }
            if (at == 0 && type != SR && type != RR) {
                throw new RtcpParseException("compound packet starts with type " + type + ", not SR or RR");
            }
            if (padding) {
                int pad = buf[end - 1] & 0xff;
                if (end != length || pad == 0 || pad > size - HEADER) {
                    throw new RtcpParseException("bad padding");
                }
                end -= pad;
            }
            switch (type) {
                case SR, RR -> reports.add(report(buf, at, end, count, type == SR));
                case SDES -> sdes(buf, at + HEADER, end, count, cnames);
                case BYE -> {
                    if (at + HEADER + 4 * count > end) {
                        throw new RtcpParseException("BYE of " + count + " sources runs past its length");
                    }
                    for (int i = 0; i < count; i++) {
                        bye.add(NetworkOrder.readUint32(buf, at + HEADER + 4 * i));
                    }
                }
                default -> skipped++;
            }
            at += size;
        }
        return new RtcpCompound(reports, cnames, bye, skipped);
    }

    private static RtcpReport report(byte[] buf, int at, int end, int count, boolean sender) throws RtcpParseException {
        int blocks = at + 8 + (sender ? SenderInfo.LENGTH : 0);
        if (blocks + count * ReportBlock.LENGTH > end) {
            throw new RtcpParseException(
                    (sender ? "SR" : "RR") + " of " + count + " report blocks runs past its length");
        }
        long ssrc = NetworkOrder.readUint32(buf, at + 4);
        SenderInfo info = sender
                ? new SenderInfo(
                        (NetworkOrder.readUint32(buf, at + 8) << 32) | NetworkOrder.readUint32(buf, at + 12),
                        NetworkOrder.readUint32(buf, at + 16),
                        NetworkOrder.readUint32(buf, at + 20),
                        NetworkOrder.readUint32(buf, at + 24))
                : null;
        List<ReportBlock> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int b = blocks + i * ReportBlock.LENGTH;
            int lost = ((buf[b + 5] & 0xff) << 16) | ((buf[b + 6] & 0xff) << 8) | (buf[b + 7] & 0xff);
            list.add(new ReportBlock(
                    NetworkOrder.readUint32(buf, b),
                    buf[b + 4] & 0xff,
                    (lost << 8) >> 8, // sign-extend 24 bits
                    NetworkOrder.readUint32(buf, b + 8),
                    NetworkOrder.readUint32(buf, b + 12),
                    NetworkOrder.readUint32(buf, b + 16),
                    NetworkOrder.readUint32(buf, b + 20)));
        }
        return new RtcpReport(ssrc, info, list);
    }

    /** RFC 3550 6.5: chunks of an SSRC and items, each chunk ended by null octets up to a word boundary. */
    private static void sdes(byte[] buf, int at, int end, int count, Map<Long, String> cnames)
            throws RtcpParseException {
        for (int c = 0; c < count; c++) {
            if (at + 4 > end) {
                throw new RtcpParseException("SDES chunk " + c + " runs past its length");
            }
            long ssrc = NetworkOrder.readUint32(buf, at);
            at += 4;
            while (true) {
                if (at >= end) {
                    throw new RtcpParseException("SDES chunk " + c + " has no end");
                }
                int item = buf[at] & 0xff;
                if (item == SDES_END) {
                    at = (at + 4) & ~3; // the null octet and the padding after it, to the next word
                    break;
                }
                if (at + 2 > end || at + 2 + (buf[at + 1] & 0xff) > end) {
                    throw new RtcpParseException("SDES item runs past its packet");
                }
                int len = buf[at + 1] & 0xff;
                if (item == SDES_CNAME) {
                    cnames.put(ssrc, new String(buf, at + 2, len, StandardCharsets.UTF_8));
                }
                at += 2 + len;
            }
        }
    }

    // ---- time ----

    /** The 64-bit NTP timestamp of an instant (RFC 3550 4): seconds since 1900 and a 32-bit binary fraction. */
    public static long ntpTimestamp(Instant instant) {
        long seconds = instant.getEpochSecond() + NTP_UNIX_OFFSET;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp: seconds and fraction in units of 1/65536 s. */
    public static long ntpMiddle(long ntpTimestamp) {
        return (ntpTimestamp >>> 16) & 0xffff_ffffL;
    }
}
