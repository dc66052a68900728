package dev.softswitch.rtp.packet;

/**
 * The sender information of a Sender Report (RFC 3550 6.4.1).
 *
 * @param ntpTimestamp the wallclock time the report was sent, 64-bit NTP format (seconds since 1900 in the upper 32
 *     bits, fraction in the lower), as an unsigned number in a {@code long}
 * @param rtpTimestamp the same instant in the units of the sender's RTP timestamps
 * @param packetCount RTP packets sent since the sender started
 * @param octetCount RTP payload octets sent since the sender started
 */
public record SenderInfo(long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {

    /** Size of the sender information on the wire. */
    public static final int LENGTH = 20;

    public SenderInfo {
        rtpTimestamp = ReportBlock.requireUint32(rtpTimestamp, "RTP timestamp");
        packetCount = ReportBlock.requireUint32(packetCount, "packet count");
        octetCount = ReportBlock.requireUint32(octetCount, "octet count");
    }

    /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (RFC 3550 6.4.1). */
    public long ntpMiddle() {
        return (ntpTimestamp >>> 16) & 0xffff_ffffL;
    }
}
