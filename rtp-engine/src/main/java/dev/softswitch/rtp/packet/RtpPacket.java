package dev.softswitch.rtp.packet;

import org.jspecify.annotations.Nullable;

/**
 * Static accessors over an RTP packet held in a byte array starting at offset 0 (RFC 3550 section 5.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * An optional header extension (X=1, section 5.3.1) follows the CSRC list; padding (P=1) is counted by the last
 * octet. {@link #validate} must accept a packet before the other getters are trusted.
 */
public final class RtpPacket {

    /** Fixed header size, without CSRCs or extension. */
    public static final int FIXED_HEADER = 12;

    private RtpPacket() {}

    /** Why a datagram is not a usable RTP packet, or {@code null} when it is. */
    public static @Nullable String validate(byte[] buf, int length) {
        if (length < FIXED_HEADER) {
            return "shorter than an RTP header";
        }
        if (version(buf) != 2) {
            return "RTP version " + version(buf);
        }
        int header = headerLength(buf, length);
        if (header < 0) {
            return "CSRC list or header extension runs past the datagram";
        }
        int padding = hasPadding(buf) ? buf[length - 1] & 0xff : 0;
        if (hasPadding(buf) && (padding == 0 || header + padding > length)) {
            return "bad padding";
        }
        return null;
    }

    public static int version(byte[] buf) {
        return (buf[0] & 0xc0) >>> 6;
    }

    public static boolean hasPadding(byte[] buf) {
        return (buf[0] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] buf) {
        return (buf[0] & 0x10) != 0;
    }

    public static int csrcCount(byte[] buf) {
        return buf[0] & 0x0f;
    }

    public static boolean marker(byte[] buf) {
        return (buf[1] & 0x80) != 0;
    }

    public static int payloadType(byte[] buf) {
        return buf[1] & 0x7f;
    }

    public static int sequence(byte[] buf) {
        return ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
    }

    public static long timestamp(byte[] buf) {
        return NetworkOrder.readUint32(buf, 4);
    }

    public static long ssrc(byte[] buf) {
        return NetworkOrder.readUint32(buf, 8);
    }

    /** Header length including CSRCs and extension, or -1 when they run past {@code length}. */
    public static int headerLength(byte[] buf, int length) {
        int header = FIXED_HEADER + 4 * csrcCount(buf);
        if (hasExtension(buf)) {
            if (header + 4 > length) {
                return -1;
            }
            int words = ((buf[header + 2] & 0xff) << 8) | (buf[header + 3] & 0xff);
            header += 4 + 4 * words;
        }
        return header <= length ? header : -1;
    }

    /** Offset of the payload; the packet must have passed {@link #validate}. */
    public static int payloadOffset(byte[] buf, int length) {
        return headerLength(buf, length);
    }

    /** Payload length without padding; the packet must have passed {@link #validate}. */
    public static int payloadLength(byte[] buf, int length) {
        int padding = hasPadding(buf) ? buf[length - 1] & 0xff : 0;
        return length - headerLength(buf, length) - padding;
    }

    /**
     * Writes a 12-byte header (V=2, no padding, extension or CSRC) at {@code offset}.
     *
     * @return the offset just past the header
     */
    public static int writeHeader(
            byte[] buf, int offset, int payloadType, boolean marker, int sequence, long timestamp, long ssrc) {
        buf[offset] = (byte) 0x80;
        buf[offset + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7f));
        buf[offset + 2] = (byte) (sequence >>> 8);
        buf[offset + 3] = (byte) sequence;
        NetworkOrder.writeUint32(buf, offset + 4, timestamp);
        NetworkOrder.writeUint32(buf, offset + 8, ssrc);
        return offset + FIXED_HEADER;
    }
}
