package dev.softswitch.rtp.packet;

/**
 * One reception report block (RFC 3550 6.4.1): what a receiver says about one source's stream.
 *
 * @param ssrc the source the block is about
 * @param fractionLost packets lost since the previous report, as a fixed-point fraction of 256 (0..255)
 * @param cumulativeLost packets lost since reception began, a signed 24-bit number (duplicates may make it negative)
 * @param extendedHighestSequence the highest sequence number received, with its wrap count in the upper 16 bits
 * @param jitter the interarrival jitter estimate in RTP timestamp units (RFC 3550 6.4.1, A.8)
 * @param lastSr LSR: the middle 32 bits of the NTP timestamp of the last SR from the source, 0 when none
 * @param delaySinceLastSr DLSR: the delay between that SR's arrival and this report, in units of 1/65536 s
 */
public record ReportBlock(
        long ssrc,
        int fractionLost,
        int cumulativeLost,
        long extendedHighestSequence,
        long jitter,
        long lastSr,
        long delaySinceLastSr) {

    /** Size of a block on the wire. */
    public static final int LENGTH = 24;

    /** The largest and smallest cumulative loss the 24-bit field carries. */
    public static final int MAX_CUMULATIVE_LOST = 0x7f_ffff;

    public static final int MIN_CUMULATIVE_LOST = -0x80_0000;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost " + fractionLost + " is outside 0..255");
        }
        if (cumulativeLost < MIN_CUMULATIVE_LOST || cumulativeLost > MAX_CUMULATIVE_LOST) {
            throw new IllegalArgumentException("cumulative lost " + cumulativeLost + " does not fit 24 bits");
        }
        ssrc = requireUint32(ssrc, "ssrc");
        extendedHighestSequence = requireUint32(extendedHighestSequence, "extended highest sequence");
        jitter = requireUint32(jitter, "jitter");
        lastSr = requireUint32(lastSr, "LSR");
        delaySinceLastSr = requireUint32(delaySinceLastSr, "DLSR");
    }

    /** The fraction lost as a number between 0 and 1. */
    public double fractionLostRatio() {
        return fractionLost / 256.0;
    }

    static long requireUint32(long value, String name) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit number");
        }
        return value;
    }
}
