package dev.softswitch.bridge.provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.softswitch.assistant.context.CallContextStoreException;
import dev.softswitch.bridge.assistant.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /providers/NAME/incoming}, {@code /providers/NAME/status} and upgrades {@code /providers/NAME/media}
 * to a WebSocket. Requests arrive on the HTTP port's event loop; the webhooks are answered off it, on a virtual thread,
 * because the answer webhook stores the call's context, which with Redis may take up to {@code redis.timeout} (a
 * frozen Redis answers nothing): the event loop, and with it {@code /health} and every other connection, never waits
 * for that. Refusals are answered here, in one place: the refusal's status and a one-line JSON reason, logged with its
 * label (never a token, signature or body); a 503 carries {@code Retry-After}.
 */
final class ProviderHttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ProviderHttpHandler.class);

    /** A media socket that says nothing for this long is closed (the providers stream audio without pause). */
    static final int MEDIA_READ_TIMEOUT_SECONDS = 60;

    /** The largest media message: Exotel allows 100 KB chunks. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    /** Webhooks being answered at once at most; more are refused with 503 at once (a flood, or Redis frozen). */
    static final int MAX_WEBHOOKS_IN_FLIGHT = 256;

    /** What a 503 asks the provider to wait before retrying, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Map<String, ProviderPlugin> plugins;
    private final @Nullable ProviderUrls urls;
    private final ProviderCalls calls;
    private final MediaServices services;
    private final Semaphore inFlight = new Semaphore(MAX_WEBHOOKS_IN_FLIGHT);

    ProviderHttpHandler(
            Map<String, ProviderPlugin> plugins,
            @Nullable ProviderUrls urls,
            ProviderCalls calls,
            MediaServices services) {
        this.plugins = plugins;
        this.urls = urls;
        this.calls = calls;
        this.services = services;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String[] split = request.uri().split("\\?", 2);
        String path = split[0];
        String query = split.length > 1 ? split[1] : null;
        String[] parts = path.substring(ProviderUrls.PREFIX.length()).split("/", -1);
        ProviderPlugin plugin = parts.length == 2 ? plugins.get(parts[0]) : null;
        if (plugin == null || urls == null) {
            respond(
                    ctx,
                    request,
                    new Refusal.NotServed(
                            404,
                            "no such provider endpoint: providers configured: "
                                    + (plugins.isEmpty() ? "none" : String.join(", ", plugins.keySet()))));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
        Webhook hook = new Webhook(
                request.method().name(), urls.seen(path, query), headers, ByteBufUtil.getBytes(request.content()));
        String method = hook.method();
        try {
            switch (parts[1]) {
                case "incoming" -> {
                    requireMethod(method, "POST", "GET");
                    refuseWhileDraining();
                    answerOffLoop(ctx, request, plugin, hook, true);
                }
                case "status" -> {
                    requireMethod(method, "POST", "GET");
                    answerOffLoop(ctx, request, plugin, hook, false);
                }
                case "media" -> {
                    requireMethod(method, "GET");
                    refuseWhileDraining();
                    upgrade(ctx, request, plugin, hook);
                }
                default ->
                    throw new RefusedException(new Refusal.NotServed(
                            404, "no such endpoint: /providers/" + plugin.name() + "/{incoming,status,media}"));
            }
        } catch (RefusedException e) {
            Refusal refusal = e.refusal();
            log.info("{} {} refused ({}): {}", plugin.name(), hook, refusal.label(), refusal.reason());
            respond(ctx, request, refusal);
        }
    }

    /**
     * Answers a webhook on a virtual thread and writes the answer from there. The connection reads nothing more
     * meanwhile, so that a client sending its next request on it (keep-alive, pipelining) gets its answers in order.
     */
    private void answerOffLoop(
            ChannelHandlerContext ctx, FullHttpRequest request, ProviderPlugin plugin, Webhook hook, boolean incoming) {
        boolean keepAlive = HttpUtil.isKeepAlive(request); // the request is released when this returns
        if (!inFlight.tryAcquire()) {
            Refusal busy = new Refusal.Unavailable(
                    MAX_WEBHOOKS_IN_FLIGHT + " webhooks are being answered already (the call context store is slow)");
            log.warn("{} {} refused: {}", plugin.name(), hook, busy.reason());
            respond(ctx, keepAlive, busy);
            return;
        }
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        try {
            services.executor().execute(() -> {
                try {
                    respond(ctx, keepAlive, answer(plugin, hook, incoming));
                } finally {
                    inFlight.release();
                    channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.release(); // shutting down
            channel.config().setAutoRead(true);
            respond(ctx, keepAlive, new Refusal.Unavailable("the softswitch is stopping"));
        }
    }

    /**
     * Waits up to {@code timeout} until no webhook is being answered, so that a stop does not close the connection
     * under an answer still to be written (a status callback that ends a call wakes whoever waited for that end, who
     * may stop the server at once). True when none is left.
     */
    boolean awaitAnswered(Duration timeout) throws InterruptedException {
        if (!inFlight.tryAcquire(MAX_WEBHOOKS_IN_FLIGHT, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        inFlight.release(MAX_WEBHOOKS_IN_FLIGHT);
        return true;
    }

    /** The plugin's answer to a webhook, or the refusal's; off the event loop (it may wait for Redis). */
    private WebhookAnswer answer(ProviderPlugin plugin, Webhook hook, boolean incoming) {
        Refusal refusal;
        try {
            return incoming ? plugin.incoming(hook, calls) : plugin.status(hook, calls);
        } catch (RefusedException e) {
            refusal = e.refusal();
            log.info("{} {} refused ({}): {}", plugin.name(), hook, refusal.label(), refusal.reason());
        } catch (CallContextStoreException e) {
            // Redis out of reach (bounded by its timeout): the provider is told to retry rather than left hanging.
            refusal = new Refusal.Unavailable(String.valueOf(e.getMessage()));
            log.warn("{} {} refused: {}", plugin.name(), hook, refusal.reason());
        } catch (RuntimeException e) {
            log.error("{} {} failed", plugin.name(), hook, e); // a bug: the provider gets 500, not silence
            return new WebhookAnswer(500, "application/json", "{\"error\":\"internal error\"}\n");
        }
        return answerOf(refusal);
    }

    /** A new call while the softswitch drains: 503, so that the provider tries elsewhere. Status callbacks go on. */
    private void refuseWhileDraining() throws RefusedException {
        if (calls.draining()) {
            throw new RefusedException(new Refusal.Draining());
        }
    }

    private static void requireMethod(String method, String... allowed) throws RefusedException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new RefusedException(new Refusal.NotServed(405, "use " + String.join(" or ", allowed)));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ProviderPlugin plugin, Webhook hook)
            throws RefusedException {
        String upgrade = hook.header("upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw RefusedException.malformed("the media endpoint is a WebSocket: send Upgrade: websocket");
        }
        plugin.checkUpgrade(hook);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        hook.url().toString(), null, true, MAX_MESSAGE_BYTES)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get(ReadTimeoutHandler.class) != null) {
            pipeline.replace(
                    ReadTimeoutHandler.class,
                    "media-read-timeout",
                    new ReadTimeoutHandler(MEDIA_READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        ProviderSession session = new ProviderSession(
                plugin, plugin.codec(hook), new WebSocketOutlet(ctx.channel(), services.stallTimeout()), services);
        pipeline.replace(ctx.handler(), "provider-media", new MediaSocketHandler(session));
        pipeline.addBefore("provider-media", "media-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (!f.isSuccess()) {
                log.info(
                        "{} media socket handshake failed: {}",
                        plugin.name(),
                        f.cause().toString());
                ctx.channel().close();
            }
        });
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, Refusal refusal) {
        respond(ctx, HttpUtil.isKeepAlive(request), refusal);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, Refusal refusal) {
        respond(ctx, keepAlive, answerOf(refusal));
    }

    private static WebhookAnswer answerOf(Refusal refusal) {
        String body = Json.write(JsonNodeFactory.instance.objectNode().put("error", refusal.reason())) + "\n";
        return new WebhookAnswer(refusal.httpStatus(), "application/json", body);
    }

    /** Writes the answer; from any thread (Netty hands the write to the channel's event loop). */
    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, WebhookAnswer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (answer.status() == 503) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
