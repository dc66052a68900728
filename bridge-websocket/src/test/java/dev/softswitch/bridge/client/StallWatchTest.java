package dev.softswitch.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private static final long SECOND = 1_000_000_000L;

    /** A channel whose peer reads nothing: written bytes stay in its outbound buffer until flushed. */
    private static EmbeddedChannel backedUp(int bytes) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        channel.write(Unpooled.wrappedBuffer(new byte[bytes]));
        return channel;
    }

    @Test
    void aChannelBackedUpForTheLimitIsStalledAndOneThatDrainsIsNot() {
        EmbeddedChannel channel = backedUp(2048);
        assertThat(channel.isWritable()).isFalse();
        StallWatch watch = new StallWatch(channel, Duration.ofSeconds(10));
        long t0 = 42 * SECOND;
        assertThat(watch.check(t0)).isNull();
        assertThat(watch.check(t0 + 10 * SECOND - 1)).isNull();
        assertThat(watch.check(t0 + 10 * SECOND)).isEqualTo("over 1 KiB unsent for 10 s");

        channel.flush(); // the peer reads again
        assertThat(channel.isWritable()).isTrue();
        assertThat(watch.check(t0 + 11 * SECOND)).isNull();
        channel.releaseOutbound();
        channel.write(Unpooled.wrappedBuffer(new byte[2048]));
        assertThat(watch.check(t0 + 12 * SECOND))
                .as("backed up again: the clock starts over")
                .isNull();
        assertThat(watch.check(t0 + 21 * SECOND)).isNull();
        assertThat(watch.check(t0 + 22 * SECOND)).isEqualTo("over 1 KiB unsent for 10 s");
        channel.finishAndReleaseAll();
    }

    @Test
    void aWritableChannelAndAZeroLimitAreNeverStalled() {
        EmbeddedChannel idle = new EmbeddedChannel();
        StallWatch watch = new StallWatch(idle, Duration.ofSeconds(1));
        assertThat(watch.check(0)).isNull();
        assertThat(watch.check(100 * SECOND)).isNull();

        EmbeddedChannel channel = backedUp(2048);
        StallWatch off = new StallWatch(channel, Duration.ZERO);
        assertThat(off.check(0)).isNull();
        assertThat(off.check(100 * SECOND)).isNull();
        channel.finishAndReleaseAll();
        idle.finishAndReleaseAll();
    }
}
