package dev.softswitch.app;

/** The softswitch cannot start; the message tells the operator what to change. */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}
