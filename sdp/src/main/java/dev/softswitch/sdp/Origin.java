package dev.softswitch.sdp;

import java.util.Objects;

/**
 * The {@code o=} line (RFC 8866 5.2). Session id and version are kept as the decimal strings they are on the wire: they
 * may exceed a {@code long}, and RFC 3264 8 only asks that the version grow with each new offer or answer.
 */
public record Origin(
        String username, String sessionId, String sessionVersion, String netType, String addrType, String address) {

    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }
}
