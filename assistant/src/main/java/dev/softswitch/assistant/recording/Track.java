package dev.softswitch.assistant.recording;

import java.util.ArrayDeque;

/**
 * One channel of a recording: frames placed on a timeline of sample positions, silence wherever no frame lies. Frames
 * never overlap: one whose slot is taken goes to the channel's end instead. Confined to the recorder's writer thread.
 */
final class Track {

    private static final class Segment {
        final long start;
        final short[] samples;

        Segment(long start, short[] samples) {
            this.start = start;
            this.samples = samples;
        }

        long end() {
            return start + samples.length;
        }
    }

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    /** The first free position: no frame of this channel may start before it. */
    private long end;
    /** Frames whose last sample has been read since {@link #takeFinished}. */
    private int finished;

    long end() {
        return end;
    }

    /**
     * Places {@code samples} at {@code slot}, or at the end of the channel when that is later (the slot is taken, or it
     * lies before what was already written), and returns the position used.
     */
    long place(long slot, short[] samples) {
        long start = Math.max(slot, end);
        segments.addLast(new Segment(start, samples));
        end = start + samples.length;
        return start;
    }

    /** The sample at {@code position}, 0 in a gap; positions must not go backwards from one call to the next. */
    short sampleAt(long position) {
        Segment head = dropBefore(position);
        return head != null && head.start <= position ? head.samples[(int) (position - head.start)] : 0;
    }

    /**
     * Everything before {@code position} has been written: frames that end there are done, and a channel that ended
     * earlier continues from here (its gap was written as silence).
     */
    void writtenTo(long position) {
        dropBefore(position);
        end = Math.max(end, position);
    }

    /** How many frames have been written out completely since the last call. */
    int takeFinished() {
        int n = finished;
        finished = 0;
        return n;
    }

    private Segment dropBefore(long position) {
        Segment head;
        while ((head = segments.peekFirst()) != null && head.end() <= position) {
            segments.removeFirst();
            finished++;
        }
        return head;
    }
}
