package dev.softswitch.bridge.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * Connects calls to bots over WebSocket ({@code ws://} and {@code wss://}, RFC 6455), on a few event loops shared by
 * every call. One client per softswitch; {@link #close} stops its threads.
 */
public final class BotClient implements AutoCloseable {

    /** The largest message a bot may send: Twilio allows media "of any size", and ten seconds of it is ~110 kB. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** Above this much unsent data toward a bot, audio to it is dropped (counted) until it drains below the low mark. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    private final EventLoopGroup group;
    private final SslContext tls;
    private final LongAdder opened = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public BotClient(int threads) {
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("bot-ws", true));
        try {
            this.tls = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("TLS is not available for wss:// bots: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a WebSocket to {@code url}, sending {@code headers} with the upgrade request.
     *
     * @return completes with the open socket once the handshake is done, or exceptionally with a
     *     {@link BotConnectException} saying why not (refused, timed out, rejected with an HTTP status)
     */
    public CompletableFuture<BotSocket> connect(
            URI url, Map<String, String> headers, Duration timeout, BotListener listener) {
        CompletableFuture<BotSocket> opened = new CompletableFuture<>();
        opened.whenComplete((socket, error) -> (error == null ? this.opened : this.failed).increment());
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss");
        if (!secure && !scheme.equals("ws")) {
            opened.completeExceptionally(new BotConnectException(url, "not a ws:// or wss:// URL"));
            return opened;
        }
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
        HttpHeaders extra = new DefaultHttpHeaders();
        headers.forEach(extra::add);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .version(WebSocketVersion.V13)
                .customHeaders(extra)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handshakeTimeoutMillis(Math.max(1, timeout.toMillis()))
                .handleCloseFrames(false)
                .dropPongFrames(false) // BotSocket's stall watch waits for them
                .build();
        BotSocketHandler handler = new BotSocketHandler(url, listener, opened);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.SO_SNDBUF, StallWatch.SEND_BUFFER_BYTES)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (secure) {
                            p.addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast(new HttpClientCodec());
                        p.addLast(new HttpObjectAggregator(64 * 1024));
                        p.addLast(new WebSocketClientProtocolHandler(config));
                        p.addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                        p.addLast(handler);
                    }
                });
        ChannelFuture connecting = bootstrap.connect(host, port);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(new BotConnectException(url, "cannot connect: " + describe(f.cause())));
            }
        });
        // One deadline over TCP connect, TLS and the upgrade together.
        Channel channel = connecting.channel();
        channel.eventLoop()
                .schedule(
                        () -> {
                            if (opened.completeExceptionally(
                                    new BotConnectException(url, "no answer within " + timeout.toMillis() + " ms"))) {
                                channel.close();
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        opened.whenComplete((socket, error) -> {
            if (error != null) {
                channel.close();
            }
        });
        return opened;
    }

    /** WebSockets whose handshake completed, since start. */
    public long connectionsOpened() {
        return opened.sum();
    }

    /** Connection attempts that failed (bad URL, refused, timed out, upgrade rejected), since start. */
    public long connectionsFailed() {
        return failed.sum();
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
