package dev.softswitch.bridge.provider;

import dev.softswitch.bridge.client.StallWatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A provider's media WebSocket as a session's outlet. While the provider does not read (Netty's write buffer above
 * its high-water mark) messages are dropped, not queued; {@link #stalled} says when that has lasted the stall limit.
 */
final class WebSocketOutlet implements MediaOutlet {

    /** How long our close frame may wait to be written before the connection is closed without it. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    private final Channel channel;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final StallWatch watch;

    WebSocketOutlet(Channel channel, Duration stallLimit) {
        this.channel = channel;
        this.watch = new StallWatch(channel, stallLimit);
        channel.config().setOption(ChannelOption.SO_SNDBUF, StallWatch.SEND_BUFFER_BYTES);
    }

    @Override
    public @Nullable String stalled(long now) {
        return watch.check(now);
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean send(Object message) {
        if (!channel.isActive() || closing.get() || !channel.isWritable()) {
            return false;
        }
        if (message instanceof String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        } else if (message instanceof byte[] bytes) {
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), channel.voidPromise());
        } else {
            throw new IllegalArgumentException("messages are String or byte[], not " + message.getClass());
        }
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true) && channel.isActive()) {
            String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
            channel.writeAndFlush(new CloseWebSocketFrame(new WebSocketCloseStatus(code, shortReason)))
                    .addListener(ChannelFutureListener.CLOSE);
            // A provider that does not read would hold the frame, and the connection, for ever.
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
