package dev.softswitch.rtp.jitter;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Frames kept by their frame index in a power-of-two ring of preallocated arrays. A slot keeps its tag after its frame
 * is played, so a late copy of a played frame is still recognised as a duplicate until the slot is reused.
 */
final class FrameRing {

    private static final long EMPTY = Long.MIN_VALUE;

    private final short[][] frames;
    private final long[] tags;
    private final int mask;

    FrameRing(int capacity, int frameSamples) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        frames = new short[capacity][frameSamples];
        tags = new long[capacity];
        mask = capacity - 1;
        clear();
    }

    int capacity() {
        return tags.length;
    }

    void clear() {
        Arrays.fill(tags, EMPTY);
    }

    /** Whether the frame of {@code index} is here, played or not. */
    boolean holds(long index) {
        return tags[slot(index)] == index;
    }

    /** Copies {@code pcm} into the slot of {@code index}; the caller keeps its array. */
    void store(long index, short[] pcm) {
        int slot = slot(index);
        System.arraycopy(pcm, 0, frames[slot], 0, pcm.length);
        tags[slot] = index;
    }

    /** The frame of {@code index}, owned by the ring, or null when it is not here. */
    short @Nullable [] get(long index) {
        int slot = slot(index);
        return tags[slot] == index ? frames[slot] : null;
    }

    private int slot(long index) {
        return ((int) index) & mask;
    }
}
