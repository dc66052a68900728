package dev.softswitch.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IP network in CIDR notation, such as {@code 198.51.100.0/24} or {@code 2001:db8::/32}: an entry in a trunk's
 * allow-list of source addresses.
 *
 * @param address the network address (its host bits are zero)
 * @param prefixLength the number of leading bits that name the network: 0-32 for IPv4, 0-128 for IPv6
 */
public record CidrNetwork(InetAddress address, int prefixLength) {

    public CidrNetwork {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix must be 0-" + bits + ", not " + prefixLength);
        }
        if (!masked(address.getAddress(), prefixLength).equals(address)) {
            throw new IllegalArgumentException("host bits are set in " + address.getHostAddress() + "/" + prefixLength);
        }
    }

    /**
     * The network {@code ADDRESS/PREFIX} names; a bare address is a network of one ({@code /32} or {@code /128}).
     *
     * @throws IllegalArgumentException with a message such as {@code "10.0.0.0/33" is not a CIDR network (prefix must
     *     be 0-32 for IPv4)}
     */
    public static CidrNetwork parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressText);
        if (address == null) {
            throw invalid(text, IpLiterals.looksLikeIpv6(addressText) ? "not an IPv6 address" : "not an IP address");
        }
        boolean ipv4 = address instanceof Inet4Address;
        int bits = ipv4 ? 32 : 128;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            prefix = prefixText.matches("[0-9]{1,3}") ? Integer.parseInt(prefixText) : -1;
            if (prefix < 0 || prefix > bits) {
                throw invalid(text, "prefix must be 0-" + bits + " for " + (ipv4 ? "IPv4" : "IPv6"));
            }
        }
        InetAddress network = masked(address.getAddress(), prefix);
        if (!network.equals(address)) {
            throw invalid(
                    text,
                    "host bits are set: the network is " + network.getHostAddress() + "/" + prefix + ", or write "
                            + addressText + " alone for the one address");
        }
        return new CidrNetwork(network, prefix);
    }

    /** Whether {@code candidate} is in this network (an IPv4 address is never in an IPv6 network, nor the reverse). */
    public boolean contains(InetAddress candidate) {
        byte[] bytes = candidate.getAddress();
        return bytes.length == address.getAddress().length
                && masked(bytes, prefixLength).equals(address);
    }

    /** {@code ADDRESS/PREFIX}. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >> keep));
        }
        try {
            // Inet6Address.getByAddress keeps ::ffff:a.b.c.d an IPv6 address; InetAddress.getByAddress would not.
            return out.length == 16 ? Inet6Address.getByAddress(null, out, -1) : InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException('"' + text + "\" is not a CIDR network (" + reason + ")");
    }
}
