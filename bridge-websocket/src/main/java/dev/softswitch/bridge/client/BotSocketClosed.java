package dev.softswitch.bridge.client;

/**
 * How a bot's WebSocket ended.
 *
 * @param byBot true when the bot sent the close frame or dropped the connection, false when we closed it
 * @param code the close code (RFC 6455 7.4), 1006 when the connection dropped without one
 * @param reason the close reason as sent, possibly empty
 */
public record BotSocketClosed(boolean byBot, int code, String reason) {

    /** RFC 6455 7.4.1: closed abnormally, without a close frame. */
    public static final int ABNORMAL = 1006;

    /** For logs and call records: {@code 1011 "model failed"} or {@code 1006 (no close frame)}. */
    public String describe() {
        return code == ABNORMAL && reason.isEmpty() ? code + " (no close frame)" : code + " \"" + reason + '"';
    }
}
