package dev.softswitch.bridge.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open WebSocket to a bot. Sending never blocks: frames go through the channel's event loop, and while the socket
 * cannot keep up (Netty's write buffer is above its high-water mark) audio is dropped and counted rather than queued
 * without bound. Control messages are always sent.
 */
public final class BotSocket {

    private final Channel channel;
    private final CompletableFuture<BotSocketClosed> closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong droppedAudio = new AtomicLong();

    BotSocket(Channel channel, CompletableFuture<BotSocketClosed> closed) {
        this.channel = channel;
        this.closed = closed;
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

    /** Sends a close frame with {@code code} and {@code reason}, then closes the connection. Idempotent. */
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(new WebSocketCloseStatus(code, reason)))
                        .addListener(ChannelFutureListener.CLOSE);
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
