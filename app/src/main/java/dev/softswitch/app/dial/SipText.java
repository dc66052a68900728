package dev.softswitch.app.dial;

import java.util.regex.Pattern;

/** Checks on the pieces of SIP a user types, before they reach the stack's parser. */
final class SipText {

    /** RFC 3261 25.1 user: unreserved, escaped and user-unreserved characters. */
    private static final Pattern USER = Pattern.compile("(?:[A-Za-z0-9\\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2}){1,64}");
    /** sip:[user@]host[:port][;params]: a host name, IPv4 or bracketed IPv6; no headers, no whitespace. */
    private static final Pattern URI = Pattern.compile(
            "(?i)sips?:(?:[A-Za-z0-9\\-_.!~*'()&=+$,;?/%]{1,64}@)?(?:[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])"
                    + "(?::[0-9]{1,5})?(?:;[A-Za-z0-9\\-_.!~*'()%=]{1,64})*");

    private SipText() {}

    static boolean isUser(String text) {
        return USER.matcher(text).matches();
    }

    static boolean isSipUri(String text) {
        return URI.matcher(text).matches();
    }
}
