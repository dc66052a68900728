package dev.softswitch.rtp.packet;

/** A datagram that is not a valid compound RTCP packet (RFC 3550 A.2); the caller counts and drops it. */
public final class RtcpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    public RtcpParseException(String message) {
        super(message);
    }
}
