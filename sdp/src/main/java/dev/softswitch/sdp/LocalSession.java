package dev.softswitch.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The checks {@link AnswerPolicy} and {@link OfferPolicy} share on what they write into our session description: the
 * codecs, the address and port we receive on, and the {@code o=} line's user, session id and version.
 */
final class LocalSession {

    private LocalSession() {}

    /**
     * Checks the fields of a policy and returns an immutable copy of its codecs.
     *
     * @param policy what the policy is called in a message, such as {@code "an answer policy"}
     * @throws IllegalArgumentException when a value is out of range or would break its line
     */
    static List<FormatSpec> check(
            String policy,
            List<FormatSpec> codecs,
            String localAddress,
            int localPort,
            long sessionId,
            long sessionVersion,
            String username) {
        List<FormatSpec> copy = List.copyOf(codecs);
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(username, "username");
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(policy + " supports at least one codec");
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
        return copy;
    }

    /** {@code IP6} when the address is IPv6 (has a ':'), else {@code IP4} (RFC 8866 5.7). */
    static String addrType(String localAddress) {
        return localAddress.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    /**
     * Our session description around its media (RFC 3264 5): {@code v=0}, the {@code o=} line, {@code s=-}, a
     * session-level {@code c=} with the local address and {@code t=0 0}.
     */
    static SessionDescription describe(
            String username, long sessionId, long sessionVersion, String localAddress, List<MediaDescription> media) {
        String addrType = addrType(localAddress);
        Origin origin = new Origin(
                username, Long.toString(sessionId), Long.toString(sessionVersion), "IN", addrType, localAddress);
        return new SessionDescription(
                0,
                origin,
                "-", // RFC 3264 5: a dash (or a space) for unicast sessions
                new Connection("IN", addrType, localAddress),
                List.of("0 0"),
                List.of(),
                media);
    }

    private static boolean isToken(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }
}
