package dev.softswitch.rtp.session;

/**
 * What RTCP told us during a call (RFC 3550 6.4): the round-trip time to the caller and the loss the caller reports
 * for our stream.
 *
 * @param reportsSent compound RTCP packets we sent
 * @param reportsReceived compound RTCP packets from the caller that parsed
 * @param dropped datagrams taken for RTCP that did not parse, or came from elsewhere than the caller
 * @param rttMillis the last round-trip time measured from a report block about our stream (RFC 3550 6.4.1: A - LSR -
 *     DLSR), NaN until one is
 * @param remoteFractionLost the fraction of our packets the caller's last report says were lost (0..1), NaN until the
 *     caller reports on our stream
 * @param remoteCumulativeLost the caller's count of our packets lost since the call began, 0 until it reports
 */
public record RtcpStats(
        long reportsSent,
        long reportsReceived,
        long dropped,
        double rttMillis,
        double remoteFractionLost,
        long remoteCumulativeLost) {

    public static final RtcpStats NONE = new RtcpStats(0, 0, 0, Double.NaN, Double.NaN, 0);

    /** Whether a round-trip time was measured. */
    public boolean hasRtt() {
        return !Double.isNaN(rttMillis);
    }

    /** Whether the caller reported on our stream. */
    public boolean hasRemoteReport() {
        return !Double.isNaN(remoteFractionLost);
    }
}
