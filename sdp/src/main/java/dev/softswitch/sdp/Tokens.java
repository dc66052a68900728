package dev.softswitch.sdp;

import java.util.ArrayList;
import java.util.List;

/** Splitting, number reading and safe quoting of SDP fields, without regular expressions. */
final class Tokens {

    /** Numbers are read up to this value; anything larger is reported as this (and is out of every range here). */
    private static final long CAP = 1L << 40;

    private Tokens() {}

    /** The fields of a line value separated by runs of spaces or tabs (RFC 8866 9 uses single spaces). */
    static List<String> fields(String value) {
        List<String> fields = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= value.length(); i++) {
            boolean blank = i == value.length() || value.charAt(i) == ' ' || value.charAt(i) == '\t';
            if (blank && start >= 0) {
                fields.add(value.substring(start, i));
                start = -1;
            } else if (!blank && start < 0) {
                start = i;
            }
        }
        return fields;
    }

    /** Splits on every occurrence of {@code separator}, keeping empty parts. */
    static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = value.indexOf(separator); i >= 0; i = value.indexOf(separator, start)) {
            parts.add(value.substring(start, i));
            start = i + 1;
        }
        parts.add(value.substring(start));
        return parts;
    }

    /** The value of a string of ASCII digits (capped at 2^40), or -1 when it is empty or has anything else in it. */
    static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(value * 10 + (c - '0'), CAP);
        }
        return value;
    }

    /**
     * Text from the wire made fit for a log line or a SIP {@code Warning} header: cut at {@code max} characters, and
     * anything outside printable ASCII, a double quote or a backslash replaced by '?'.
     */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < Math.min(text.length(), max); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
