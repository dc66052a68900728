package dev.softswitch.codecs;

/** A WAV file that is malformed, or in a format {@link Wav} does not read; the message says what was found. */
public final class WavFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WavFormatException(String message) {
        super(message);
    }
}
