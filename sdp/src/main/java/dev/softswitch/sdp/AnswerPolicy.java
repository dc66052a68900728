package dev.softswitch.sdp;

import java.util.List;

/**
 * What we answer with: the codecs we support in our order of preference, whether we take RFC 4733 telephone-events,
 * where we receive RTP, and the {@code o=} line's user, session id and version (RFC 3264 5: the version grows with
 * every new description of the session; the caller keeps it, since this package has no clock or state).
 * {@code localAddress} is an IPv4 or IPv6 address without brackets.
 */
public record AnswerPolicy(
        List<FormatSpec> codecs,
        boolean telephoneEvent,
        String localAddress,
        int localPort,
        long sessionId,
        long sessionVersion,
        String username) {

    public AnswerPolicy {
        codecs = LocalSession.check(
                "an answer policy", codecs, localAddress, localPort, sessionId, sessionVersion, username);
    }
}
