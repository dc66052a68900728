package dev.softswitch.bridge.provider;

import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

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

    /**
     * Whether the peer has stopped reading what we send for longer than the stall limit. Polled on the event loop.
     *
     * @param now {@link System#nanoTime()}
     * @return why ({@code over 64 KiB unsent for 10 s}), or null
     */
    default @Nullable String stalled(long now) {
        return null;
    }

    /** Closes the connection: a WebSocket with {@code code} and {@code reason}. Idempotent. */
    void close(int code, String reason);
}
