package dev.softswitch.assistant;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the key press out of a legacy SIP INFO body (RFC 2976 INFO, as Cisco, Polycom and Asterisk
 * send it; not an RFC 6086 Info-Package). Pure: strings in, a {@link DtmfEvent} out.
 *
 * <ul>
 *   <li>{@code application/dtmf-relay}: {@code key=value} lines separated by CRLF or LF, keys in any case,
 *       blanks around keys and values ignored, unknown keys ignored. {@code Signal} is one of
 *       {@code 0-9 * # A-D} (letters in either case) or an RFC 4733 event code 0-15 ({@code 10} is
 *       {@code *}, {@code 11} is {@code #}); {@code Duration} is in milliseconds, 0 when absent.
 *   <li>{@code application/dtmf}: the body is just the signal, as above; the duration is reported as 0.
 * </ul>
 */
public final class DtmfInfoParser {

    /** The Content-Types read, for the Accept header of a 415. */
    public static final String SUPPORTED_TYPES = "application/dtmf-relay, application/dtmf";

    /** Longer than any key is held: a duration above this is a broken sender. */
    static final int MAX_DURATION_MS = 60_000;

    private static final String DIGITS = "0123456789*#ABCD";

    private DtmfInfoParser() {}

    /**
     * The key press in an INFO body, or empty when there is no body at all (an INFO used as a keepalive,
     * whatever its Content-Type).
     *
     * @param contentType the Content-Type header value; parameters ({@code ; charset=utf-8}) and case are
     *     ignored
     * @throws UnsupportedDtmfBodyException when the body is not one of {@link #SUPPORTED_TYPES} (answer 415)
     * @throws IllegalArgumentException when the body is malformed, with a message saying what is wrong
     *     (answer 400 with it)
     */
    public static Optional<DtmfEvent> parse(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        String type = mediaType(contentType);
        return switch (type) {
            case "application/dtmf-relay" -> Optional.of(parseRelay(body));
            case "application/dtmf" ->
                Optional.of(new DtmfEvent(signal("application/dtmf body", body.strip()), 0, DtmfEvent.Method.INFO));
            default -> throw new UnsupportedDtmfBodyException(contentType == null ? "(none)" : contentType);
        };
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    private static DtmfEvent parseRelay(String body) {
        String signal = null;
        String duration = null;
        for (String line : body.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("line '" + line.strip() + "' is not key=value");
            }
            String key = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(equals + 1).strip();
            if (key.equals("signal")) {
                if (signal != null) {
                    throw new IllegalArgumentException("more than one Signal");
                }
                signal = value;
            } else if (key.equals("duration")) {
                if (duration != null) {
                    throw new IllegalArgumentException("more than one Duration");
                }
                duration = value;
            }
        }
        if (signal == null) {
            throw new IllegalArgumentException("no Signal in the application/dtmf-relay body");
        }
        char digit = signal("Signal", signal);
        return new DtmfEvent(digit, duration == null ? 0 : durationMs(duration), DtmfEvent.Method.INFO);
    }

    /** A key as a character ({@code 5}, {@code *}, {@code a}) or an RFC 4733 event code ({@code 11}). */
    private static char signal(String what, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.length() == 1) {
            char key = Character.toUpperCase(value.charAt(0));
            if (DIGITS.indexOf(key) >= 0) {
                return key;
            }
        } else if (value.length() == 2 && isDecimal(value)) {
            int code = Integer.parseInt(value);
            if (DtmfEvent.isDigitCode(code)) {
                return DtmfEvent.digitOfEventCode(code);
            }
        }
        throw new IllegalArgumentException(what + " '" + value + "' is not a DTMF digit (0-9 * # A-D, or 10 to 15)");
    }

    private static int durationMs(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Duration is empty");
        }
        if (!isDecimal(value)) {
            throw new IllegalArgumentException("Duration '" + value + "' is not a whole number of milliseconds");
        }
        // Compare as text first so that a 30-digit number is "too long", not an overflow.
        String digits = value.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 5 || Integer.parseInt(digits) > MAX_DURATION_MS) {
            throw new IllegalArgumentException("Duration " + value + " ms is longer than 60 s");
        }
        return Integer.parseInt(digits);
    }

    private static boolean isDecimal(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !value.isEmpty();
    }
}
