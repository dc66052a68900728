package dev.softswitch.rtp;

/** No media session could be opened: the port pool is exhausted or no port would bind. The call gets 503. */
public final class MediaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public MediaUnavailableException(String message) {
        super(message);
    }
}
