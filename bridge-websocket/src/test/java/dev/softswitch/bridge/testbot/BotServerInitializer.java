package dev.softswitch.bridge.testbot;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The pipeline of one accepted connection, by {@link TestBot.Behaviour}: a WebSocket server (ECHO, SILENT), an HTTP
 * server that refuses the upgrade with 403 (REJECT), or a sink that reads and never answers (NO_HANDSHAKE).
 */
final class BotServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_MESSAGE = 1 << 20;

    private final TestBot bot;

    BotServerInitializer(TestBot bot) {
        this.bot = bot;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        bot.accepted(ch);
        ChannelPipeline p = ch.pipeline();
        switch (bot.behaviour()) {
            case NO_HANDSHAKE -> p.addLast(new Sink());
            case REJECT -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_MESSAGE), new Forbidden());
            case ECHO, SILENT -> {
                WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/")
                        .checkStartsWith(true) // with "/": any path; the session records it
                        .handleCloseFrames(false) // BotFrameHandler records the client's close code first
                        .sendCloseFrame(null) // closing the channel sends nothing: abort() is a bare TCP close
                        .maxFramePayloadLength(MAX_MESSAGE)
                        .build();
                p.addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(MAX_MESSAGE),
                        new WebSocketServerProtocolHandler(config),
                        new WebSocketFrameAggregator(MAX_MESSAGE),
                        new BotFrameHandler(bot));
            }
        }
    }

    /** NO_HANDSHAKE: reads the request and lets it go; the client waits for an answer that never comes. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** REJECT: any request gets 403 and the connection closes. The aggregated request is released by the superclass. */
    private static final class Forbidden extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.FORBIDDEN,
                    Unpooled.copiedBuffer("the test bot refuses this connection\n", StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
