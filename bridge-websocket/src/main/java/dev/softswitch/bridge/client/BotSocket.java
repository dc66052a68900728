package dev.softswitch.bridge.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One open WebSocket to a bot. Sending never blocks: frames go through the channel's event loop, and while the socket
 * cannot keep up (Netty's write buffer is above its high-water mark) audio is dropped and counted rather than queued
 * without bound. Control messages are always sent.
 *
 * <p>A bot that stops reading is noticed ({@link #stalled}) in two ways: a WebSocket ping (RFC 6455 5.5.2, which
 * every WebSocket library answers by itself) left without its pong, and audio backed up above the high-water mark,
 * each for the stall limit. Closing never waits on such a bot for more than {@link #CLOSE_LIMIT}.
 */
public final class BotSocket {

    /** How long our close frame may wait to be written before the connection is closed without it. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    private final Channel channel;
    private final CompletableFuture<BotSocketClosed> closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong droppedAudio = new AtomicLong();
    /** When the ping that still waits for its pong was sent (nanoTime); 0 when none waits. */
    private final AtomicLong pingSent = new AtomicLong();

    private @Nullable StallWatch backlog;
    private long stallLimitNanos;

    BotSocket(Channel channel, CompletableFuture<BotSocketClosed> closed) {
        this.channel = channel;
        this.closed = closed;
    }

    /**
     * Starts watching for a bot that stops reading: pings every {@code limit / 2} (1 to 5 s) from now on, until the
     * connection closes. Zero or negative: never.
     */
    public void watchStalls(Duration limit) {
        if (limit.isZero() || limit.isNegative()) {
            return;
        }
        stallLimitNanos = limit.toNanos();
        backlog = new StallWatch(channel, limit);
        long every = Math.clamp(limit.toMillis() / 2, 1000, 5000);
        ScheduledFuture<?> pings =
                channel.eventLoop().scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> pings.cancel(false));
    }

    /** On the event loop: a ping, unless the last one is still unanswered (its send time is what counts). */
    private void ping() {
        if (channel.isActive() && !closing.get() && pingSent.compareAndSet(0, Math.max(1, System.nanoTime()))) {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    /** The bot's pong (to any ping of ours: only one is ever outstanding). */
    void pong() {
        pingSent.set(0);
    }

    /**
     * Whether the bot has stopped reading, for {@link #watchStalls}'s limit. Called from one thread, the call's.
     *
     * @param now {@link System#nanoTime()}
     * @return why ({@code no pong for 10 s}, {@code over 512 KiB unsent for 10 s}), or null
     */
    public @Nullable String stalled(long now) {
        StallWatch watch = backlog;
        if (watch == null) {
            return null;
        }
        long sent = pingSent.get();
        if (sent != 0 && now - sent >= stallLimitNanos) {
            return "no pong for " + Duration.ofNanos(now - sent).toSeconds() + " s";
        }
        return watch.check(now);
    }

    /** The event loop this socket's frames are read on; tasks run here see the socket's state without locks. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Sends a text frame (a JSON control message). */
    public void sendText(String text) {
        if (channel.isActive() && !closing.get()) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }
    }

    /**
     * Sends audio, as a text frame ({@code json}) or a binary frame ({@code bytes}), unless the socket is backed up.
     *
     * @return false when the frame was dropped because the bot does not read fast enough
     */
    public boolean sendAudio(Object frame) {
        if (!channel.isActive() || closing.get()) {
            return false;
        }
        if (!channel.isWritable()) {
            droppedAudio.incrementAndGet();
            return false;
        }
        if (frame instanceof String json) {
            channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
        } else if (frame instanceof byte[] bytes) {
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), channel.voidPromise());
        } else {
            throw new IllegalArgumentException("audio frames are JSON text or bytes, not " + frame.getClass());
        }
        return true;
    }

    /**
     * Sends a close frame with {@code code} and {@code reason}, then closes the connection; after {@link #CLOSE_LIMIT}
     * it is closed anyway (a bot that does not read would hold the frame, and the connection, for ever). Idempotent.
     */
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(new WebSocketCloseStatus(code, reason)))
                        .addListener(ChannelFutureListener.CLOSE);
                channel.eventLoop().schedule(() -> channel.close(), CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Completes when the connection is gone, with who closed it, how and why. */
    public CompletableFuture<BotSocketClosed> closed() {
        return closed;
    }

    /** True unless we started closing: a close seen now came from the bot. */
    boolean isOpenForClose() {
        return !closing.get();
    }

    public boolean isOpen() {
        return channel.isActive() && !closing.get() && !closed.isDone();
    }

    /** Audio frames dropped because the bot did not read them fast enough. */
    public long droppedAudio() {
        return droppedAudio.get();
    }
}
