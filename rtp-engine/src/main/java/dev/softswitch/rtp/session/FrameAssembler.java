package dev.softswitch.rtp.session;

import java.util.function.Consumer;

/**
 * Cuts decoded audio into 20 ms frames whatever the caller's packetisation (10, 20, 30 ms ...). Confined to the
 * thread that receives the call's packets.
 */
final class FrameAssembler {

    private final int frameSamples;
    private short[] frame;
    private int filled;

    FrameAssembler(int frameSamples) {
        this.frameSamples = frameSamples;
        this.frame = new short[frameSamples];
    }

    void add(short[] samples, int count, Consumer<short[]> sink) {
        int at = 0;
        while (at < count) {
            int n = Math.min(count - at, frameSamples - filled);
            System.arraycopy(samples, at, frame, filled, n);
            filled += n;
            at += n;
            if (filled == frameSamples) {
                sink.accept(frame);
                frame = new short[frameSamples];
                filled = 0;
            }
        }
    }
}
