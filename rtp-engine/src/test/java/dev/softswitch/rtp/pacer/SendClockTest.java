package dev.softswitch.rtp.pacer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendClockTest {

    private final SendIntervals intervals = new SendIntervals();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SendClock clock = new SendClock(intervals, now::get);

    private static ByteBuf rtp(boolean marker, int payloadType) {
        byte[] packet = new byte[172];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        return Unpooled.wrappedBuffer(packet);
    }

    private void sendAfter(long millis, ByteBuf packet) {
        now.addAndGet(millis * 1_000_000L);
        clock.time(packet);
    }

    /** Bucket index of an interval: the counts of a histogram holding only that interval. */
    private static int bucketOf(long nanos) {
        SendIntervals one = new SendIntervals();
        one.record(nanos);
        long[] counts = one.counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                return i;
            }
        }
        throw new AssertionError("not counted");
    }

    @Test
    void intervalsInsideATalkspurtAreCountedInTheirBuckets() {
        sendAfter(0, rtp(true, 0)); // starts the talkspurt: nothing to compare with
        sendAfter(20, rtp(false, 0));
        sendAfter(20, rtp(false, 0));
        sendAfter(23, rtp(false, 0));

        assertThat(intervals.count()).isEqualTo(3);
        assertThat(intervals.counts()[bucketOf(20_000_000L)]).isEqualTo(2);
        assertThat(intervals.counts()[bucketOf(23_000_000L)]).isEqualTo(1);
        assertThat(intervals.sumSeconds()).isCloseTo(0.063, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMarkerStartsAfreshAndAPauseIsNotALatePacket() {
        sendAfter(0, rtp(true, 0));
        sendAfter(20, rtp(false, 0));
        sendAfter(400, rtp(true, 0)); // silence suppression ended: a new talkspurt
        sendAfter(20, rtp(false, 0));
        sendAfter(2_000, rtp(false, 0)); // back from hold without a marker: a pause, not a 2 s interval

        assertThat(intervals.count()).isEqualTo(2);
    }

    @Test
    void rtcpOnTheSamePortAndNonRtpAreNotTimed() {
        sendAfter(0, rtp(true, 0));
        sendAfter(5, rtp(false, 72)); // RTCP SR (200) multiplexed: 200 & 0x7f = 72
        sendAfter(5, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        sendAfter(10, rtp(false, 0));

        assertThat(intervals.count()).isEqualTo(1);
        assertThat(intervals.counts()[bucketOf(20_000_000L)]).isEqualTo(1);
    }

    @Test
    void bucketsAreOrderedAndTheLastIsInfinity() {
        double[] bounds = SendIntervals.boundsSeconds();
        assertThat(intervals.counts()).hasSize(bounds.length + 1);
        for (int i = 1; i < bounds.length; i++) {
            assertThat(bounds[i]).isGreaterThan(bounds[i - 1]);
        }
        assertThat(bucketOf(200_000_000L)).isEqualTo(bounds.length); // beyond the last bound
        assertThat(bucketOf(19_900_000L)).isEqualTo(bucketOf(20_100_000L)); // on time, either side of 20 ms
    }
}
