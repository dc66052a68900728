package dev.softswitch.rtp.pool;

/**
 * A shared port pool could not be asked: its store (Redis) is down, unreachable or did not answer in time. Unlike an
 * exhausted pool this says nothing about free ports; the call that wanted one gets 503 all the same, with this reason.
 */
public final class PortPoolUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortPoolUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
