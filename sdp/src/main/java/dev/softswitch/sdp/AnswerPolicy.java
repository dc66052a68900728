package dev.softswitch.sdp;

import java.util.List;
import java.util.Objects;

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
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(username, "username");
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("an answer policy supports at least one codec");
        }
        if (!isToken(localAddress) || !isToken(username)) {
            throw new IllegalArgumentException("local address and username are not empty and have no blanks");
        }
        if (localPort < 1 || localPort > MediaDescription.MAX_PORT) {
            throw new IllegalArgumentException("local port " + localPort + " is out of range 1..65535");
        }
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("session id and version are not negative");
        }
    }

    /** {@code IP6} when the local address is IPv6 (has a ':'), else {@code IP4} (RFC 8866 5.7). */
    String addrType() {
        return localAddress.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    private static boolean isToken(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }
}
