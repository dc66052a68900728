package dev.softswitch.sdp;

import java.util.Objects;

/**
 * A {@code c=} line (RFC 8866 5.7). The address is kept as written, so a multicast suffix such as
 * {@code 224.2.1.1/127/3} stays readable; {@link #host()} is the address without it.
 */
public record Connection(String netType, String addrType, String address) {

    /** The RFC 2543 way to put a call on hold (RFC 3264 8.4): a connection address of {@code 0.0.0.0}. */
    static final String HOLD_ADDRESS = "0.0.0.0";

    public Connection {
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }

    /** The address without a {@code /ttl} or {@code /count} multicast suffix. */
    public String host() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    /** Whether the address is {@code 0.0.0.0}: the peer does not want to receive media (RFC 3264 8.4). */
    public boolean isHoldAddress() {
        return host().equals(HOLD_ADDRESS);
    }
}
