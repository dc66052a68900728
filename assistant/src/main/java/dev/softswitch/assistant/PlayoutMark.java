package dev.softswitch.assistant;

/**
 * Told what became of a mark an assistant placed in the audio toward the caller ({@link MediaPort#mark}).
 *
 * <p>Called on the media side's thread (the pacer): it must not block. Sending a WebSocket frame through Netty is
 * fine, waiting for it is not.
 */
@FunctionalInterface
public interface PlayoutMark {

    /**
     * @param name the mark's name, as placed
     * @param played true once every frame queued before the mark has been sent to the caller; false when
     *     {@link MediaPort#clear()} dropped the mark (and the audio before it) or the call ended first
     */
    void reached(String name, boolean played);
}
