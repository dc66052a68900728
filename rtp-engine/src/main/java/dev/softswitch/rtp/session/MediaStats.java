package dev.softswitch.rtp.session;

/**
 * A call's RTP counters at one moment.
 *
 * @param packetsReceived RTP packets accepted from the caller
 * @param packetsSent RTP packets sent to the caller
 * @param droppedInvalid datagrams that were not valid RTP
 * @param droppedWrongSource packets from an address other than the latched one
 * @param droppedPayloadType packets of a payload type that was not negotiated
 * @param droppedLate packets older than one already played (late or duplicate)
 * @param telephoneEvents RFC 4733 packets received (not passed as audio)
 */
public record MediaStats(
        long packetsReceived,
        long packetsSent,
        long droppedInvalid,
        long droppedWrongSource,
        long droppedPayloadType,
        long droppedLate,
        long telephoneEvents) {}
