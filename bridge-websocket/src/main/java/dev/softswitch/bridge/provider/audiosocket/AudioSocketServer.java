package dev.softswitch.bridge.provider.audiosocket;

import dev.softswitch.bridge.client.StallWatch;
import dev.softswitch.bridge.provider.MediaOutlet;
import dev.softswitch.bridge.provider.MediaServices;
import dev.softswitch.bridge.provider.ProviderSession;
import dev.softswitch.bridge.provider.Providers;
import dev.softswitch.config.ProviderConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP server Asterisk's {@code AudioSocket()} application and {@code AudioSocket/} channel connect to: each
 * connection is one call, its frames cut by their length field and handed to a {@link ProviderSession}. While the
 * softswitch drains, a new connection is closed at once.
 */
public final class AudioSocketServer implements Providers.Server {

    private static final Logger log = LoggerFactory.getLogger(AudioSocketServer.class);

    /** Asterisk gives up after 2 s without traffic; a connection silent this long is gone. */
    static final int READ_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel channel;

    private AudioSocketServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Listens on {@code bind} and the entry's {@code port} (0: any free port, for tests).
     *
     * @throws IllegalStateException when the port is taken
     */
    public static AudioSocketServer start(InetAddress bind, ProviderConfig config, MediaServices services) {
        int port = Integer.parseInt(config.setting("port").orElse("0"));
        AudioSocketPlugin plugin = new AudioSocketPlugin(config);
        EventLoopGroup group = new NioEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                new DefaultThreadFactory("audiosocket", true));
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (services.calls().draining()) {
                            // AudioSocket has no way to say why: Asterisk sees the socket close and ends its call.
                            log.info("audiosocket connection from {} refused: draining", ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        ProviderSession session = new ProviderSession(
                                plugin, new AudioSocketCodec(), new TcpOutlet(ch, services.stallTimeout()), services);
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(new LengthFieldBasedFrameDecoder(3 + 0xffff, 1, 2, 0, 0))
                                .addLast(new Handler(session));
                    }
                })
                .bind(new InetSocketAddress(bind, port))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("AudioSocket could not listen on " + bind.getHostAddress() + ":" + port
                    + ": " + bound.cause().getMessage());
        }
        AudioSocketServer server = new AudioSocketServer(group, bound.channel());
        log.info("audiosocket: listening on {}:{}", bind.getHostAddress(), server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Whole frames to the session; its end when the connection goes. */
    private static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private final ProviderSession session;

        Handler(ProviderSession session) {
            this.session = session;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            session.onBinary(ByteBufUtil.getBytes(frame));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            session.onClosed();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ReadTimeoutException) {
                log.info("audiosocket connection silent for {} s: closing it", READ_TIMEOUT_SECONDS);
            } else {
                log.warn("audiosocket connection failed: {}", cause.toString());
            }
            ctx.close();
        }
    }

    /** A TCP connection as a session's outlet: bytes out; closing just closes (AudioSocket has no close reason). */
    private static final class TcpOutlet implements MediaOutlet {
        private final Channel channel;
        private final AtomicBoolean closing = new AtomicBoolean();
        private final StallWatch watch;

        TcpOutlet(Channel channel, Duration stallLimit) {
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
            if (!(message instanceof byte[] bytes)) {
                throw new IllegalArgumentException("AudioSocket carries bytes, not " + message.getClass());
            }
            if (!channel.isActive() || closing.get() || !channel.isWritable()) {
                return false; // Asterisk does not read: dropped, not queued (see stalled)
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
            return true;
        }

        @Override
        public void close(int code, String reason) {
            if (closing.compareAndSet(false, true)) {
                log.debug("closing the audiosocket connection: {} {}", code, reason);
                channel.close();
            }
        }
    }
}
