package dev.softswitch.assistant;

/**
 * Told when a transfer the assistant asked for ({@link MediaPort#transfer}) did not happen; the call goes on. Called
 * on a softswitch thread: must not block.
 */
@FunctionalInterface
public interface TransferFailed {

    /** @param reason why, in words: the far end's SIP status or what was wrong with the target */
    void failed(String target, String reason);
}
