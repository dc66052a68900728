package dev.softswitch.sip.call;

/** A move the transition table does not allow; the caller logs and counts it, and the state stays as it was. */
public final class IllegalTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(CallState from, CallState to) {
        super("call state " + from + " cannot move to " + to);
    }
}
