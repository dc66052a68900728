package dev.softswitch.rtp.packet;

/**
 * Static accessors over an RFC 4733 telephone-event payload (section 2.3) at {@code offset} in a byte array.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TelephoneEvent {

    /** Bytes in one event block. */
    public static final int LENGTH = 4;

    private TelephoneEvent() {}

    public static int event(byte[] buf, int offset) {
        return buf[offset] & 0xff;
    }

    /** The E bit: this packet ends the event (RFC 4733 2.5.1.4: the end packet is sent three times). */
    public static boolean isEnd(byte[] buf, int offset) {
        return (buf[offset + 1] & 0x80) != 0;
    }

    /** Power level in -dBm0, 0-63. */
    public static int volume(byte[] buf, int offset) {
        return buf[offset + 1] & 0x3f;
    }

    /** Duration so far, in RTP timestamp units (8000 per second for telephone-event/8000). */
    public static int duration(byte[] buf, int offset) {
        return ((buf[offset + 2] & 0xff) << 8) | (buf[offset + 3] & 0xff);
    }

    /** Writes one event block at {@code offset}; returns the offset past it. */
    public static int write(byte[] buf, int offset, int event, boolean end, int volume, int duration) {
        buf[offset] = (byte) event;
        buf[offset + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3f));
        buf[offset + 2] = (byte) (duration >>> 8);
        buf[offset + 3] = (byte) duration;
        return offset + LENGTH;
    }
}
