package dev.softswitch.app.http;

import dev.softswitch.bridge.provider.Providers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP port. {@code GET /health} (and {@code /health/ready}) answers
 * {@code 200 {"status":"up","activeCalls":N}}, or 503 {@code "draining"} once the softswitch drains;
 * {@code /health/live} stays 200 while it runs; {@code GET /metrics}
 * answers the metrics in the Prometheus text format 0.0.4; paths under {@code /v1} go to the {@link CallsApi}; other
 * paths get 404 and other methods 405, each with a one-line JSON reason. Paths under {@code /providers} go to the
 * {@link Providers} (webhooks, and media sockets upgraded to WebSocket).
 *
 * <p>One event loop serves every connection, so nothing on it waits: {@code /health} and {@code /metrics} are answered
 * there, while API requests, which may store a call context in Redis (up to {@code redis.timeout}, the whole of it when
 * Redis is frozen), are answered on virtual threads, at most {@link #MAX_API_IN_FLIGHT} at once.
 */
public final class HttpServer implements AutoCloseable {

    /** The port is taken or the address is not local. */
    public static final class BindException extends Exception {
        private static final long serialVersionUID = 1L;

        BindException(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** API requests being answered at once at most; more get 503 at once. */
    static final int MAX_API_IN_FLIGHT = 256;

    /** {@code /health} (ready), {@code /health/ready} and {@code /health/live}. */
    private static final java.util.Set<String> HEALTH_PATHS =
            java.util.Set.of("/health", "/health/ready", "/health/live");

    /** The Prometheus text exposition format. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService api;

    /** Whether the softswitch is draining: {@code /health} and {@code /health/ready} then answer 503. */
    private final AtomicReference<BooleanSupplier> draining;

    private HttpServer(
            EventLoopGroup group, Channel channel, ExecutorService api, AtomicReference<BooleanSupplier> draining) {
        this.group = group;
        this.channel = channel;
        this.api = api;
        this.draining = draining;
    }

    /**
     * Says when the softswitch stops taking calls (a drain): from then on {@code GET /health} and
     * {@code GET /health/ready} answer {@code 503 {"status":"draining"}} so that a balancer sends no more, while
     * {@code GET /health/live} stays 200 until the process stops.
     */
    public void readiness(BooleanSupplier isDraining) {
        draining.set(isDraining);
    }

    /**
     * Listens on {@code bind:port} (0 for any free port).
     *
     * @param metrics the body of {@code GET /metrics}, called on the HTTP thread: it must not block
     */
    public static HttpServer start(InetAddress bind, int port, IntSupplier activeCalls, Supplier<String> metrics)
            throws BindException {
        return start(bind, port, activeCalls, metrics, null);
    }

    /** As {@link #start(InetAddress, int, IntSupplier, Supplier)}, with the call API under {@code /v1} when given. */
    public static HttpServer start(
            InetAddress bind, int port, IntSupplier activeCalls, Supplier<String> metrics, @Nullable CallsApi calls)
            throws BindException {
        return start(bind, port, activeCalls, metrics, calls, null);
    }

    /** As above, with the providers' webhooks and media sockets under {@code /providers} when given. */
    public static HttpServer start(
            InetAddress bind,
            int port,
            IntSupplier activeCalls,
            Supplier<String> metrics,
            @Nullable CallsApi calls,
            @Nullable Providers providers)
            throws BindException {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("http", true));
        AtomicReference<BooleanSupplier> draining = new AtomicReference<>(() -> false);
        ExecutorService api = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("http-api-", 0).factory());
        Semaphore apiInFlight = new Semaphore(MAX_API_IN_FLIGHT);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new Handler(
                                        activeCalls, metrics, calls, providers, draining, api, apiInFlight));
                    }
                })
                .bind(new InetSocketAddress(bind, port))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            api.shutdownNow();
            throw new BindException("HTTP could not listen on " + bind.getHostAddress() + ":" + port + ": "
                    + bound.cause().getMessage());
        }
        return new HttpServer(group, bound.channel(), api, draining);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        api.shutdownNow();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final IntSupplier activeCalls;
        private final Supplier<String> metrics;
        private final @Nullable CallsApi calls;
        private final @Nullable Providers providers;
        private final AtomicReference<BooleanSupplier> draining;
        private final ExecutorService api;
        private final Semaphore apiInFlight;

        Handler(
                IntSupplier activeCalls,
                Supplier<String> metrics,
                @Nullable CallsApi calls,
                @Nullable Providers providers,
                AtomicReference<BooleanSupplier> draining,
                ExecutorService api,
                Semaphore apiInFlight) {
            this.activeCalls = activeCalls;
            this.metrics = metrics;
            this.calls = calls;
            this.providers = providers;
            this.draining = draining;
            this.api = api;
            this.apiInFlight = apiInFlight;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = request.uri().split("\\?", 2)[0];
            if (providers != null
                    && Providers.owns(path)
                    && request.decoderResult().isSuccess()) {
                providers.handle(ctx, request); // answers itself, or upgrades to a media WebSocket
                return;
            }
            if (calls != null && CallsApi.owns(path) && request.decoderResult().isSuccess()) {
                answerOffLoop(ctx, request, path, calls);
                return;
            }
            FullHttpResponse response;
            boolean read =
                    request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
            if (!request.decoderResult().isSuccess()) {
                response = json(HttpResponseStatus.BAD_REQUEST, "{\"error\":\"malformed HTTP request\"}");
            } else if (!HEALTH_PATHS.contains(path) && !path.equals("/metrics")) {
                response = json(
                        HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such path: use GET /health or GET /metrics\"}");
            } else if (!read) {
                response =
                        json(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"" + path + " takes GET or HEAD\"}");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (path.equals("/metrics")) {
                response = text(HttpResponseStatus.OK, METRICS_CONTENT_TYPE, metrics.get());
            } else {
                boolean notReady =
                        !path.equals("/health/live") && draining.get().getAsBoolean();
                response = json(
                        notReady ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                        "{\"status\":\"" + (notReady ? "draining" : "up") + "\",\"activeCalls\":"
                                + activeCalls.getAsInt() + "}");
            }
            write(ctx, HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess(), response);
        }

        /**
         * Answers an API request on a virtual thread, writing the answer from there; the connection reads nothing more
         * meanwhile, so that the answers to requests sent one after another on it go out in order.
         */
        private void answerOffLoop(ChannelHandlerContext ctx, FullHttpRequest request, String path, CallsApi calls) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!apiInFlight.tryAcquire()) {
                FullHttpResponse busy = json(
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "{\"error\":\"" + MAX_API_IN_FLIGHT + " API requests are being answered already\"}");
                busy.headers().setInt(HttpHeaderNames.RETRY_AFTER, 1);
                write(ctx, keepAlive, busy);
                return;
            }
            Channel channel = ctx.channel();
            channel.config().setAutoRead(false);
            FullHttpRequest held = request.retain(); // released by the task: the handler releases its own reference
            try {
                api.execute(() -> {
                    try {
                        write(ctx, keepAlive, calls.handle(held, path, channel.remoteAddress()));
                    } catch (RuntimeException e) {
                        log.error("{} {} failed", held.method(), path, e); // a bug: the client gets 500, not silence
                        write(
                                ctx,
                                false,
                                json(HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"error\":\"internal error\"}"));
                    } finally {
                        held.release();
                        apiInFlight.release();
                        channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
                    }
                });
            } catch (RejectedExecutionException e) {
                held.release(); // stopping
                apiInFlight.release();
                channel.config().setAutoRead(true);
                write(ctx, false, json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":\"stopping\"}"));
            }
        }

        /** From any thread: Netty hands the write to the channel's event loop. */
        private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse json(HttpResponseStatus status, String body) {
            return text(status, "application/json", body + "\n");
        }

        private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            return response;
        }
    }
}
