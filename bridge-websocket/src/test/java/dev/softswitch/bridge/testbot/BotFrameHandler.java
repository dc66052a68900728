package dev.softswitch.bridge.testbot;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a bot connection: makes the {@link BotSession} when the upgrade completes and hands it every
 * whole frame (fragments are joined before it). Buffer ownership: {@link SimpleChannelInboundHandler} releases each
 * frame after {@link #channelRead0}, which copies what it keeps. Pings are answered by Netty's protocol handler.
 */
final class BotFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(BotFrameHandler.class);

    private final TestBot bot;
    private @Nullable BotSession session;

    BotFrameHandler(TestBot bot) {
        this.bot = bot;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            BotSession opened = new BotSession(
                    ctx.channel(),
                    bot.dialect(),
                    bot.behaviour() == TestBot.Behaviour.ECHO,
                    handshake.requestHeaders(),
                    handshake.requestUri());
            session = opened;
            bot.opened(opened);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        BotSession current = session;
        if (current == null) {
            log.warn(
                    "a {} before the WebSocket handshake completed: dropped",
                    frame.getClass().getSimpleName());
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            current.onText(text.text());
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            current.onBinary(ByteBufUtil.getBytes(binary.content()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            current.onCloseFrame(close.statusCode(), close.reasonText());
        }
        // pong frames: nothing to do
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        BotSession current = session;
        if (current != null) {
            current.onInactive();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        BotSession current = session;
        if (current != null && cause instanceof CorruptedFrameException) {
            current.onProtocolError(cause); // Netty has already answered with close 1002 (or 1007)
        } else {
            log.debug("bot connection {} fails: {}", ctx.channel(), cause.toString());
        }
        ChannelFuture unused = ctx.close(); // channelInactive reports the end
    }
}
