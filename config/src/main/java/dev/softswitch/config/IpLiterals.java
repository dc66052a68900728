package dev.softswitch.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** IP address literals, parsed without ever asking DNS. */
final class IpLiterals {

    private IpLiterals() {}

    /**
     * The address an IPv4 dotted quad or an IPv6 literal (with or without brackets, without a zone) names, or null when
     * the text is neither.
     */
    static @Nullable InetAddress parse(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.indexOf(':') >= 0) {
            return parseIpv6(bare);
        }
        return bare.equals(text) ? parseIpv4(bare) : null;
    }

    /** Whether the text is an IPv6 literal rather than IPv4 (it has a colon). */
    static boolean looksLikeIpv6(String text) {
        return text.indexOf(':') >= 0;
    }

    private static @Nullable InetAddress parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return byAddress(bytes);
    }

    private static @Nullable InetAddress parseIpv6(String text) {
        boolean plausible = !text.isEmpty()
                && text.chars()
                        .allMatch(c -> (c >= '0' && c <= '9')
                                || (c >= 'a' && c <= 'f')
                                || (c >= 'A' && c <= 'F')
                                || c == ':'
                                || c == '.');
        if (!plausible) {
            return null;
        }
        try {
            // Brackets make InetAddress treat the text as an IPv6 literal: it fails instead of falling back to DNS.
            InetAddress address = InetAddress.getByName("[" + text + "]");
            // ::ffff:a.b.c.d comes back as an Inet4Address; a configuration should write the IPv4 form.
            return address instanceof Inet6Address ? address : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
