package dev.softswitch.rtp.packet;

/** Unsigned 32-bit fields in network byte order (big-endian), as RTP and RTCP headers carry them. */
final class NetworkOrder {

    private NetworkOrder() {}

    static long readUint32(byte[] buf, int at) {
        return ((long) (buf[at] & 0xff) << 24)
                | ((buf[at + 1] & 0xff) << 16)
                | ((buf[at + 2] & 0xff) << 8)
                | (buf[at + 3] & 0xff);
    }

    static void writeUint32(byte[] buf, int at, long value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }
}
