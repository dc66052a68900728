package dev.softswitch.bridge.assistant;

/**
 * A bot broke its dialect's rules (a message that is not JSON, a required field missing, audio of the wrong shape). The
 * socket is closed with {@link #closeCode()} and the message as reason, and the call ends with the error message.
 */
public final class BotProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** RFC 6455 7.4.1: 1007 for data inconsistent with the message type, 1008 for a message that breaks policy. */
    private final int closeCode;

    public BotProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** A message the dialect does not allow (1008, policy violation). */
    public static BotProtocolException violation(String message) {
        return new BotProtocolException(1008, message);
    }

    /** A message whose content is malformed: not JSON, bad base64 (1007, invalid payload data). */
    public static BotProtocolException malformed(String message) {
        return new BotProtocolException(1007, message);
    }

    public int closeCode() {
        return closeCode;
    }
}
