package dev.softswitch.sdp;

/**
 * A session description that {@link SdpParser} refuses. The message names the 1-based line and its type, as in
 * {@code line 4 (m=): port "abc" is not a number}. It quotes at most 32 characters of the input, with anything outside
 * printable ASCII (and any double quote) replaced by {@code ?}, so it is safe to log.
 */
public final class SdpParseException extends RuntimeException {

    private final int lineNumber;

    SdpParseException(int lineNumber, String message) {
        super(message);
        this.lineNumber = lineNumber;
    }

    /** The 1-based number of the offending line; 0 when the text as a whole is refused (too long). */
    public int lineNumber() {
        return lineNumber;
    }
}
