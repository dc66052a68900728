package dev.softswitch.bridge.client;

import io.netty.channel.Channel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Notices a peer that stopped reading: what we send it piles up in Netty's write buffer until that passes its
 * high-water mark and the channel turns unwritable. While unwritable, senders drop audio (so memory stays bounded);
 * once it has stayed so for the limit, {@link #check} says so and the owner ends the call. Polled from one thread (a
 * call's assistant thread or the connection's event loop), every 20 ms or so: no handler, no timer.
 */
public final class StallWatch {

    /** How long a peer may leave what we send unread before its call ends, unless configured otherwise. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

    /**
     * The kernel send buffer a media connection gets (Linux allocates twice this), fixed rather than autotuned: left
     * alone, Linux grows it up to {@code net.ipv4.tcp_wmem}'s 4 MiB towards a peer that does not read, minutes of
     * audio before Netty's buffer would even start to fill. A few seconds of the heaviest stream (16 kHz PCM, 32 kB/s)
     * is plenty for any network's delay.
     */
    public static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final Channel channel;
    private final long limitNanos;
    private long unwritableSince;
    private boolean unwritable;

    /** @param limit zero or negative: never stalled */
    public StallWatch(Channel channel, Duration limit) {
        this.channel = channel;
        this.limitNanos = limit.toNanos();
    }

    /**
     * @param now {@link System#nanoTime()}
     * @return why the peer counts as stalled ({@code over 512 KiB unsent for 10 s}), or null while it reads or has
     *     been backed up for less than the limit
     */
    public @Nullable String check(long now) {
        if (limitNanos <= 0 || channel.isWritable() || !channel.isActive()) {
            unwritable = false;
            return null;
        }
        if (!unwritable) {
            unwritable = true;
            unwritableSince = now;
            return null;
        }
        long stalled = now - unwritableSince;
        if (stalled < limitNanos) {
            return null;
        }
        return "over " + channel.config().getWriteBufferHighWaterMark() / 1024 + " KiB unsent for "
                + Duration.ofNanos(stalled).toSeconds() + " s";
    }
}
