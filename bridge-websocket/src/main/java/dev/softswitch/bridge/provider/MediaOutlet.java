package dev.softswitch.bridge.provider;

import java.util.concurrent.Executor;

/** Where a session's messages go: a WebSocket, or AudioSocket's TCP connection. Nothing here blocks. */
public interface MediaOutlet {

    /** The connection's event loop: the session's state is confined to it. */
    Executor eventLoop();

    /**
     * Sends a message: a {@code String} as a text frame, a {@code byte[]} as a binary frame (or as bytes on TCP).
     *
     * @return false when the connection is closed, or backed up and the message was dropped
     */
    boolean send(Object message);

    /** Closes the connection: a WebSocket with {@code code} and {@code reason}. Idempotent. */
    void close(int code, String reason);
}
