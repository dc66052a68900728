package dev.softswitch.bridge.client;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last handler of a bot's pipeline: completes the connect future, hands frames over, records how it closed. */
final class BotSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(BotSocketHandler.class);

    private final URI url;
    private final BotListener listener;
    private final CompletableFuture<BotSocket> opened;
    private final CompletableFuture<BotSocketClosed> closed = new CompletableFuture<>();
    private @Nullable BotSocket socket;
    private @Nullable BotSocketClosed closeFrame;

    BotSocketHandler(URI url, BotListener listener, CompletableFuture<BotSocket> opened) {
        this.url = url;
        this.listener = listener;
        this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            BotSocket s = new BotSocket(ctx.channel(), closed);
            socket = s;
            listener.onOpen(s); // before any frame is read: replies to the bot's first messages have a socket
            if (!opened.complete(s)) {
                ctx.close(); // the deadline passed just before the handshake finished
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            listener.onText(text.text());
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            listener.onBinary(ByteBufUtil.getBytes(binary.content()));
        } else if (frame instanceof PongWebSocketFrame) {
            if (socket != null) {
                socket.pong();
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? 1005 : close.statusCode();
            String reason = close.statusCode() < 0 ? "" : close.reasonText();
            if (closeFrame == null) {
                closeFrame = new BotSocketClosed(socket == null || socket.isOpenForClose(), code, reason);
            }
            // RFC 6455 5.5.1: answer a close with a close, then the bot closes the TCP connection (we do too).
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : code, ""))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        BotSocket s = socket;
        BotSocketClosed how = closeFrame;
        if (how == null) {
            how = new BotSocketClosed(s == null || s.isOpenForClose(), BotSocketClosed.ABNORMAL, "");
        }
        closed.complete(how);
        opened.completeExceptionally(new BotConnectException(url, "connection closed during the handshake"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketClientHandshakeException) {
            // e.g. "Invalid handshake response getStatus: 403 Forbidden"
            opened.completeExceptionally(
                    new BotConnectException(url, "refused the upgrade: " + BotClient.describe(cause)));
        } else if (!opened.isDone()) {
            opened.completeExceptionally(new BotConnectException(url, BotClient.describe(cause)));
        } else {
            log.debug("bot {}: {}", BotConnectException.withoutQuery(url), cause.toString());
        }
        ctx.close();
    }
}
