package dev.softswitch.bridge.provider;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last handler of an upgraded media socket: whole frames to its {@link ProviderSession}, pings answered. */
final class MediaSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(MediaSocketHandler.class);

    private final ProviderSession session;

    MediaSocketHandler(ProviderSession session) {
        this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame text -> session.onText(text.content().toString(StandardCharsets.UTF_8));
            case BinaryWebSocketFrame binary -> session.onBinary(ByteBufUtil.getBytes(binary.content()));
            case PingWebSocketFrame ping ->
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case CloseWebSocketFrame close ->
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            default -> {} // pongs
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.onClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            log.info("media socket silent for {} s: closing it", ProviderHttpHandler.MEDIA_READ_TIMEOUT_SECONDS);
        } else {
            log.warn("media socket failed: {}", cause.toString());
        }
        ctx.close();
    }
}
