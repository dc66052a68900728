package dev.softswitch.assistant;

/**
 * One key press the caller made, delivered once however it was signalled.
 *
 * @param digit one of {@code 0-9 * # A B C D}
 * @param durationMs how long the key was held, as the sender reported it (0 when unknown)
 * @param method how it arrived
 */
public record DtmfEvent(char digit, int durationMs, Method method) {

    /** The ways DTMF reaches a softswitch. */
    public enum Method {
        /** RTP telephone-event packets (RFC 4733). */
        RFC4733,
        /** SIP INFO with application/dtmf-relay or application/dtmf. */
        INFO,
        /** Tones in the audio itself, detected by the softswitch. */
        INBAND,
        /** Reported by a cloud provider's media stream ({@code dtmf} events) or Asterisk AudioSocket (kind 0x03). */
        PROVIDER
    }

    private static final String DIGITS = "0123456789*#ABCD";

    public DtmfEvent {
        if (DIGITS.indexOf(digit) < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF digit (0-9 * # A-D)");
        }
        if (durationMs < 0) {
            throw new IllegalArgumentException("duration must not be negative");
        }
    }

    /** The digit of an RFC 4733 event code 0-15, e.g. 10 is {@code *}, 11 is {@code #}. */
    public static char digitOfEventCode(int code) {
        if (code < 0 || code >= DIGITS.length()) {
            throw new IllegalArgumentException("event " + code + " is not a DTMF digit");
        }
        return DIGITS.charAt(code);
    }

    /**
     * The RFC 4733 event code of a digit (section 3.2: 0-9, then 10 for {@code *}, 11 for {@code #}, 12-15 for A-D): the
     * inverse of {@link #digitOfEventCode}.
     *
     * @throws IllegalArgumentException naming {@code digit} when it is not one of {@code 0-9 * # A-D}
     */
    public static int eventCodeOf(char digit) {
        int code = DIGITS.indexOf(digit);
        if (code < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF digit (0-9 * # A-D)");
        }
        return code;
    }

    /** Whether an RFC 4733 event code is a DTMF digit (0-15) rather than another telephony event. */
    public static boolean isDigitCode(int code) {
        return code >= 0 && code < DIGITS.length();
    }
}
