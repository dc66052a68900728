package dev.softswitch.rtp.jitter;

import static dev.softswitch.rtp.jitter.Harness.FRAME;
import static dev.softswitch.rtp.jitter.Harness.FRAME_NANOS;
import static dev.softswitch.rtp.jitter.Harness.MS;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code put} and {@code poll} allocate nothing per frame: frames are copied into slots made by the constructor, and
 * {@code poll} hands out one array the buffer owns. The one allocation per frame left on the receive path is the
 * consumer's: a consumer that queues frames (QueueMediaPort) must copy the array {@code poll} returns. {@code stats()}
 * makes a record, and is not called per frame.
 */
class JitterBufferAllocationTest {

    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 50_000;

    @Test
    void putAndPollAllocateNothingPerFrame() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        JitterBuffer buffer = new JitterBuffer(FRAME, FRAME);
        short[] pcm = new short[FRAME];

        long checksum = run(buffer, pcm, 0, WARM_UP);
        long before = hotspot.getCurrentThreadAllocatedBytes();
        checksum += run(buffer, pcm, WARM_UP, WARM_UP + MEASURED);
        long allocated = hotspot.getCurrentThreadAllocatedBytes() - before;

        JitterStats stats = buffer.stats();
        assertTrue(
                stats.late() > 0 && stats.duplicates() > 0 && stats.lost() > 0 && stats.resets() > 0,
                "every path taken: " + stats);
        assertTrue(checksum != 0);
        assertTrue(
                allocated < MEASURED / 10,
                allocated + " bytes allocated for " + MEASURED + " frames (one frame copy is " + 2 * FRAME + ")");
    }

    /**
     * Frames {@code from} to {@code to}, 20 ms apart, with every path exercised: reordered pairs, duplicates, losses, a
     * late frame now and then, and a silence that ends the talkspurt every thousand frames.
     */
    private static long run(JitterBuffer buffer, short[] pcm, int from, int to) {
        long checksum = 0;
        for (int n = from; n < to; n++) {
            long now = n * FRAME_NANOS;
            pcm[0] = (short) n;
            boolean silence = n % 1000 >= 985;
            if (!silence && n % 37 != 0) {
                int seq = n % 10 == 0 ? n + 1 : n % 10 == 1 ? n - 1 : n; // swap pairs
                buffer.put(seq, (long) seq * FRAME, pcm, now + 3 * MS);
                if (n % 23 == 0) {
                    buffer.put(seq, (long) seq * FRAME, pcm, now + 4 * MS);
                }
                if (n % 101 == 0) {
                    buffer.put(n - 20, (long) (n - 20) * FRAME, pcm, now + 5 * MS);
                }
            }
            short[] out = buffer.poll(now + 10 * MS);
            checksum += out == null ? 1 : out[0];
        }
        return checksum;
    }
}
