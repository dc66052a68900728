package dev.softswitch.bridge.provider;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A provider's media WebSocket as a session's outlet. */
final class WebSocketOutlet implements MediaOutlet {

    private final Channel channel;
    private final AtomicBoolean closing = new AtomicBoolean();

    WebSocketOutlet(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean send(Object message) {
        if (!channel.isActive() || closing.get()) {
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
        }
    }
}
