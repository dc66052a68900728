package dev.softswitch.rtp.session;

/**
 * What the caller's stream looked like on arrival, as RFC 3550 6.4.1 and A.3/A.8 count it.
 *
 * @param expected packets the sequence numbers say were sent (extended highest minus first, plus one)
 * @param lost expected minus received, duplicates included in received, so it may be negative
 * @param jitterMillis the interarrival jitter estimate at this moment, in milliseconds
 * @param ssrc the caller's SSRC (of its last packet), -1 before any
 * @param extendedHighestSequence the highest sequence number received with its wrap count in the upper 16 bits
 * @param jitterUnits the same jitter estimate in RTP timestamp units, as a report block carries it
 */
public record ReceptionStats(
        long expected, long lost, double jitterMillis, long ssrc, long extendedHighestSequence, long jitterUnits) {

    public static final ReceptionStats NONE = new ReceptionStats(0, 0, 0, -1, 0, 0);

    /** Loss and jitter only, for a stream whose SSRC and sequence numbers do not matter. */
    public ReceptionStats(long expected, long lost, double jitterMillis) {
        this(expected, lost, jitterMillis, -1, 0, 0);
    }

    /** Packets that arrived, duplicates included (RFC 3550 A.3 "received"). */
    public long received() {
        return expected - lost;
    }

    /** Whether any packet was heard. */
    public boolean heard() {
        return ssrc >= 0;
    }
}
