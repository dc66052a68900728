package dev.softswitch.config;

import java.util.regex.Pattern;

/** Host names as SIP and DNS write them (RFC 1123 labels), checked without asking DNS. */
final class Hosts {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    private Hosts() {}

    /**
     * Whether {@code text} is a host name: dot-separated labels of letters, digits and '-'. Digits and dots alone are a
     * (possibly malformed) IPv4 address, not a name, and anything with a colon is IPv6.
     */
    static boolean isHostName(String text) {
        return !IpLiterals.looksLikeIpv6(text)
                && !DIGITS_AND_DOTS.matcher(text).matches()
                && HOST_NAME.matcher(text).matches();
    }

    /** {@code 2001:db8::1} for {@code [2001:db8::1]}; anything else as it is. */
    static String unbracketed(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }
}
