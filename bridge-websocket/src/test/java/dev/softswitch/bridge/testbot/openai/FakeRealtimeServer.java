package dev.softswitch.bridge.testbot.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.codecs.ToneGenerator;
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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Realtime API as shared/reference/providers.md 7.1 documents it (GA interface), on 127.0.0.1: a WebSocket
 * at {@value #PATH} that wants {@code Authorization: Bearer <key>} (else HTTP 401) and {@code ?model=<model>} (else
 * 400), sends {@code session.created}, wants {@code session.update} first, checks and records every client event, and
 * lets the test speak as the model in the session's output format.
 *
 * <p>One session at a time: each new connection starts afresh (events, audio, formats) and the methods act on it.
 * {@link #violations()} collects what any connection broke. Thread-safe.
 */
public final class FakeRealtimeServer implements AutoCloseable {

    public static final String PATH = "/v1/realtime";

    /** Tone responses go out in deltas of this length: not a multiple of 20 ms, as real deltas are not. */
    static final int DELTA_MS = 110;

    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final String apiKey;
    private final String model;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile @Nullable RealtimeSession session;

    private FakeRealtimeServer(String apiKey, String model) throws InterruptedException {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.model = Objects.requireNonNull(model, "model");
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Upgrade());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /** A server on a free port of 127.0.0.1 that accepts {@code apiKey} and {@code model}. */
    public static FakeRealtimeServer start(String apiKey, String model) throws InterruptedException {
        return new FakeRealtimeServer(apiKey, model);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code ws://127.0.0.1:<port>/v1/realtime?model=<model>}: where the softswitch should connect. */
    public URI uri() {
        return URI.create(
                "ws://127.0.0.1:" + port() + PATH + "?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
    }

    /**
     * How many sessions have begun: upgrades that passed the checks. A test that expects a new connection waits for
     * this to grow, since the methods keep acting on the previous session until the next one begins.
     */
    public int sessions() {
        return sessions.get();
    }

    /** Every client event of the current session, in order (JSON objects with a string {@code type}). */
    public List<JsonNode> received() {
        RealtimeSession s = session;
        return s == null ? List.of() : s.received();
    }

    /** The first client event of {@code type} in the current session, waiting for it; AssertionError on timeout. */
    public JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RealtimeSession s;
        while ((s = session) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody connected within " + timeout);
            }
            synchronized (this) {
                wait(10);
            }
        }
        return s.awaitType(type, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The rules the client broke, one sentence each, across all connections. Empty when it behaved. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The caller's audio: every {@code input_audio_buffer.append} of the session decoded to PCM, in order. */
    public short[] receivedAudio() {
        RealtimeSession s = session;
        return s == null ? new short[0] : s.receivedAudio();
    }

    /** The rate of {@link #receivedAudio()}: 8000 for G.711, 24000 for {@code audio/pcm}. */
    public int inputRate() {
        return current().input().rate;
    }

    /** The rate of the session's output format, at which {@link #sendAudioDelta(String, short[])} takes PCM. */
    public int outputRate() {
        return current().output().rate;
    }

    /** One {@code response.output_audio.delta} carrying {@code wire}, bytes already in the output format. */
    public void sendAudioDelta(String itemId, byte[] wire) {
        current().sendDelta("resp_" + responses.get(), itemId, wire);
    }

    /** One {@code response.output_audio.delta} carrying {@code pcm} (at {@link #outputRate()}) in the output format. */
    public void sendAudioDelta(String itemId, short[] pcm) {
        RealtimeSession s = current();
        s.sendDelta("resp_" + responses.get(), itemId, s.output().encode(pcm));
    }

    /**
     * A whole response as the model speaks it: {@code response.created}, a tone of {@code hz} for {@code millis} as
     * deltas of {@value #DELTA_MS} ms of item {@code itemId}, {@code response.output_audio.done}, {@code response.done}.
     */
    public void sendToneResponse(String itemId, double hz, int millis) {
        RealtimeSession s = current();
        String responseId = "resp_" + responses.incrementAndGet();
        ObjectNode created = RealtimeSession.event("response.created");
        created.putObject("response")
                .put("id", responseId)
                .put("object", "realtime.response")
                .put("status", "in_progress");
        s.send(created);
        RealtimeSession.Wire out = s.output();
        ToneGenerator tone = new ToneGenerator(hz, out.rate, 0.5);
        for (int at = 0; at < millis; at += DELTA_MS) {
            int ms = Math.min(DELTA_MS, millis - at);
            s.sendDelta(responseId, itemId, out.encode(tone.next(ms * out.rate / 1000)));
        }
        s.send(RealtimeSession.event("response.output_audio.done")
                .put("response_id", responseId)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0));
        ObjectNode done = RealtimeSession.event("response.done");
        done.putObject("response")
                .put("id", responseId)
                .put("object", "realtime.response")
                .put("status", "completed");
        s.send(done);
    }

    /** {@code input_audio_buffer.speech_started}: the caller talks (barge-in). */
    public void sendSpeechStarted() {
        current().sendSpeechStarted();
    }

    /** Any server event, as given (an {@code event_id} is added). */
    public void send(ObjectNode event) {
        current().send(event);
    }

    /** Closes the current session's socket with {@code code} and {@code reason}. */
    public void close(int code, String reason) {
        current().close(code, reason);
    }

    /** The close code the client sent (-1 if it dropped the connection without one), waiting for it. */
    public int awaitClientClose(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return current().closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private RealtimeSession current() {
        RealtimeSession s = session;
        if (s == null) {
            throw new IllegalStateException("no client has connected to the fake Realtime server");
        }
        return s;
    }

    /** The upgrade request: path, key and model checked before the WebSocket handshake. */
    private final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            if (!query.path().equals(PATH)) {
                reject(ctx, HttpResponseStatus.NOT_FOUND, "upgrade to " + query.path() + ", not " + PATH);
                return;
            }
            // Never log the key the client sent: say only whether it was the right one.
            if (!("Bearer " + apiKey).equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                reject(ctx, HttpResponseStatus.UNAUTHORIZED, "no Authorization: Bearer with the right API key");
                return;
            }
            List<String> models = query.parameters().get("model");
            if (models == null || models.size() != 1 || !models.get(0).equals(model)) {
                reject(ctx, HttpResponseStatus.BAD_REQUEST, "model parameter " + models + ", expected " + model);
                return;
            }
            if (request.headers().contains("OpenAI-Beta")) {
                violations.add("upgrade with an OpenAI-Beta header: the GA interface sends none");
            }
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                            "ws://127.0.0.1:" + port() + PATH, null, false, MAX_FRAME)
                    .newHandshaker(request);
            if (handshaker == null) {
                ChannelFuture unused = WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            RealtimeSession s = new RealtimeSession(ctx.channel(), handshaker, model, violations::add);
            ctx.pipeline().replace(this, "realtime", s);
            // Passes HTTP through; after the handshake it joins fragmented frames (the 101 removes the HTTP codec).
            ctx.pipeline().addBefore("realtime", "frames", new WebSocketFrameAggregator(MAX_FRAME));
            session = s;
            sessions.incrementAndGet();
            synchronized (FakeRealtimeServer.this) {
                FakeRealtimeServer.this.notifyAll();
            }
            handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    s.opened();
                }
            });
        }

        private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
            violations.add("upgrade refused with " + status.code() + ": " + why);
            ObjectNode body = RealtimeSession.JSON.createObjectNode();
            body.putObject("error")
                    .put("message", why)
                    .put("type", "invalid_request_error")
                    .put("code", status.code() == 401 ? "invalid_api_key" : null);
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    status,
                    Unpooled.copiedBuffer(RealtimeSession.write(body), StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
