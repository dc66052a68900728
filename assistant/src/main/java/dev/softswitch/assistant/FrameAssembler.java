package dev.softswitch.assistant;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts audio of any length into 20 ms frames: a caller's packets (10, 20, 30 ms ...) on the media side, a bot's
 * messages (any size) on the assistant side. What is left over waits for the next piece, unless a mark or the end needs
 * it out now ({@link #flush}): then it goes as one last frame padded with silence. Each frame handed out is a new array
 * the receiver may keep. Confined to one thread.
 */
public final class FrameAssembler {

    private final int frameSamples;
    private short[] frame;
    private int filled;

    public FrameAssembler(int frameSamples) {
        if (frameSamples <= 0) {
            throw new IllegalArgumentException("a frame has at least one sample, not " + frameSamples);
        }
        this.frameSamples = frameSamples;
        this.frame = new short[frameSamples];
    }

    /** Adds all of {@code samples}; each whole frame goes to {@code sink}. */
    public void add(short[] samples, Consumer<short[]> sink) {
        add(samples, samples.length, sink);
    }

    /** Adds the first {@code count} of {@code samples} (a decoder's scratch buffer may be longer). */
    public void add(short[] samples, int count, Consumer<short[]> sink) {
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

    /** Sends what is left as one frame padded with silence, if anything is left. */
    public void flush(Consumer<short[]> sink) {
        if (filled > 0) {
            sink.accept(frame); // the unfilled rest is still zeros
            frame = new short[frameSamples];
            filled = 0;
        }
    }

    /** Forgets what is left (a clear). */
    public void reset() {
        Arrays.fill(frame, 0, filled, (short) 0);
        filled = 0;
    }
}
