package dev.softswitch.sdp;

import java.util.List;

/**
 * What we offer when we place a call: the codecs we support in our order of preference, whether we offer RFC 4733
 * telephone-events, where we receive RTP, the {@code o=} line's user, session id and version (as for
 * {@link AnswerPolicy}: the caller keeps the version and raises it for every new offer), and whether we offer to
 * multiplex RTCP on the RTP port (RFC 5761). {@code localAddress} is an IPv4 or IPv6 address without brackets.
 *
 * <p>Besides the checks {@link AnswerPolicy} makes, every codec must be writable in an {@code a=rtpmap} line (a media
 * subtype name, RFC 6838 4.2, and at most 255 channels) and none may be telephone-event, which
 * {@code telephoneEvent} asks for.
 */
public record OfferPolicy(
        List<FormatSpec> codecs,
        boolean telephoneEvent,
        String localAddress,
        int localPort,
        long sessionId,
        long sessionVersion,
        String username,
        boolean rtcpMux) {

    public OfferPolicy {
        codecs = LocalSession.check(
                "an offer policy", codecs, localAddress, localPort, sessionId, sessionVersion, username);
        for (FormatSpec codec : codecs) {
            if (RtpMap.parse("0 " + codec.encoding()).isEmpty()) {
                throw new IllegalArgumentException("codec " + Tokens.printable(codec.encoding(), 80)
                        + " cannot be written in an rtpmap attribute");
            }
            if (codec.encodingName().equalsIgnoreCase(OfferAnswer.TELEPHONE_EVENT)) {
                throw new IllegalArgumentException("telephone-event is offered with telephoneEvent, not as a codec");
            }
        }
    }
}
