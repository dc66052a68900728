package dev.softswitch.sip.outbound;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a Request-URI dials, read the way a carrier routes on it: the number in its user part and its host. Pure text
 * work, no parser of the stack: it runs before any INVITE exists.
 */
public final class DialledNumber {

    /** A telephone number once normalised: digits, {@code *} and {@code #}, with an optional leading {@code +}. */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]+");
    /** RFC 3966 5.1.1 visual separators, and spaces (which the dial plan also takes). */
    private static final Pattern SEPARATORS = Pattern.compile("[().\\- ]");

    private DialledNumber() {}

    /**
     * The number a {@code sip:} or {@code sips:} URI dials: its user part, percent-escapes decoded, cut at the first
     * {@code ;} (RFC 3966 parameters such as {@code ;phone-context=} or {@code ;isub=}), visual separators removed.
     * {@code sip:+1%20555-123@host;user=phone} dials {@code +1555123}.
     *
     * @return the number, or null when the URI has no user part or its user part is not a telephone number (then no
     *     allow-list allows it)
     */
    public static @Nullable String of(String uri) {
        String rest = afterScheme(uri);
        if (rest == null) {
            return null;
        }
        int at = rest.indexOf('@');
        if (at <= 0) {
            return null;
        }
        String user = rest.substring(0, at);
        int colon = user.indexOf(':'); // user:password (RFC 3261 19.1.1)
        if (colon >= 0) {
            user = user.substring(0, colon);
        }
        String decoded = unescape(user);
        if (decoded == null) {
            return null;
        }
        int semicolon = decoded.indexOf(';');
        if (semicolon >= 0) {
            decoded = decoded.substring(0, semicolon);
        }
        String number = SEPARATORS.matcher(decoded).replaceAll("");
        return NUMBER.matcher(number).matches() ? number : null;
    }

    /** The host of a {@code sip:} or {@code sips:} URI, lower case, an IPv6 address without brackets; null if none. */
    public static @Nullable String host(String uri) {
        String rest = afterScheme(uri);
        if (rest == null) {
            return null;
        }
        int at = rest.indexOf('@');
        String hostPort = at >= 0 ? rest.substring(at + 1) : rest;
        String host;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = hostPort.substring(1, close);
        } else {
            int end = hostPort.length();
            for (char c : new char[] {':', ';', '?', '>'}) {
                int i = hostPort.indexOf(c);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            host = hostPort.substring(0, end);
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    private static @Nullable String afterScheme(String uri) {
        String u = uri.strip();
        if (u.startsWith("<")) {
            u = u.substring(1);
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:")) {
            return u.substring(4);
        }
        if (lower.startsWith("sips:")) {
            return u.substring(5);
        }
        return null;
    }

    /** RFC 3986 2.1 percent-decoding as UTF-8; null when an escape is broken. */
    private static @Nullable String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                continue;
            }
            if (i + 2 >= text.length()) {
                return null;
            }
            int high = Character.digit(text.charAt(i + 1), 16);
            int low = Character.digit(text.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            out.write(high * 16 + low);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
