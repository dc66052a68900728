package dev.softswitch.sip;

/** The SIP side could not start: the address is taken, the transport unknown, the stack refused. */
public final class SipStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public SipStartException(String message) {
        super(message);
    }

    public SipStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
