package dev.softswitch.bridge.client;

/** What a bot sends, handed over on the socket's event loop: implementations must not block. */
public interface BotListener {

    /** The handshake is done: called before any message, and before the connect future completes. */
    default void onOpen(BotSocket socket) {}

    /** A text frame (the whole message, continuation frames joined). */
    void onText(String text);

    /** A binary frame; the array is the listener's to keep. */
    void onBinary(byte[] data);
}
