package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameAssemblerTest {

    private static final int FRAME = 160; // 20 ms at 8 kHz

    private final List<short[]> frames = new ArrayList<>();
    private final FrameAssembler assembler = new FrameAssembler(FRAME);
    private int next;

    /** Feeds one packet's worth of samples, numbered on from the previous packet. */
    private void packet(int samples) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) next++;
        }
        assembler.add(pcm, samples, frames::add);
    }

    private void assertFramesInOrder(int expectedFrames) {
        assertEquals(expectedFrames, frames.size());
        for (int f = 0; f < frames.size(); f++) {
            short[] frame = frames.get(f);
            assertEquals(FRAME, frame.length);
            for (int i = 0; i < FRAME; i++) {
                assertEquals((short) (f * FRAME + i), frame[i], "frame " + f + " sample " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} ms packets x {1} -> {2} frames")
    @CsvSource(textBlock = """
                    10, 4,  2
                    10, 5,  2
                    20, 3,  3
                    30, 2,  3
                    30, 3,  4
                    30, 10, 15
                    60, 1,  3
                    """)
    void packetsOfAnyLengthBecomeExact20MillisecondFramesInOrder(int packetMs, int packets, int expectedFrames) {
        for (int p = 0; p < packets; p++) {
            packet(packetMs * 8);
        }

        assertFramesInOrder(expectedFrames);
    }

    @Test
    void aFrameIsDeliveredAsSoonAsItIsFull() {
        packet(240); // 30 ms: one frame out, 10 ms held back
        assertEquals(1, frames.size());

        packet(80); // 10 ms completes the second frame
        assertFramesInOrder(2);

        packet(159);
        assertEquals(2, frames.size(), "one sample short of a frame");
        packet(1);
        assertFramesInOrder(3);
    }

    @Test
    void onlyTheDecodedCountOfTheBufferIsUsed() {
        short[] buffer = new short[3000]; // a decoder's scratch buffer, larger than one packet
        for (int i = 0; i < 200; i++) {
            buffer[i] = (short) i;
        }
        buffer[200] = -1; // beyond the count: must not appear

        assembler.add(buffer, 200, frames::add);
        next = 200;
        packet(120);

        assertFramesInOrder(2);
    }

    @Test
    void eachFrameIsANewArraySoTheReceiverMayKeepIt() {
        packet(FRAME * 3);

        assertEquals(3, frames.size());
        assertNotSame(frames.get(0), frames.get(1));
        assertNotSame(frames.get(1), frames.get(2));
        assertFramesInOrder(3);
    }

    @Test
    void flushPadsWhatIsLeftWithSilenceAndResetForgetsIt() {
        packet(100);
        assembler.flush(frames::add);
        assertEquals(1, frames.size());
        assertEquals(FRAME, frames.get(0).length);
        assertEquals((short) 99, frames.get(0)[99]);
        assertEquals((short) 0, frames.get(0)[100], "padded with silence");

        assembler.flush(frames::add);
        assertEquals(1, frames.size(), "nothing left: no frame");

        packet(50);
        assembler.reset();
        assembler.flush(frames::add);
        assertEquals(1, frames.size(), "a reset drops what was left");
        packet(FRAME);
        assertEquals((short) 150, frames.get(1)[0], "after a reset the next frame starts with the new audio");
    }
}
