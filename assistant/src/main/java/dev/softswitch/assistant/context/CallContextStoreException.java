package dev.softswitch.assistant.context;

/**
 * A shared call context store could not be asked (it is down, unreachable or did not answer in time). The context is
 * neither stored nor claimed; the caller treats it as a failure of that one call, not as "no context".
 */
public final class CallContextStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CallContextStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
