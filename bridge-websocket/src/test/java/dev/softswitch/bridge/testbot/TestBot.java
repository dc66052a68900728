package dev.softswitch.bridge.testbot;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket server on 127.0.0.1 (an ephemeral port) that plays a voice bot, for tests of the softswitch's bot
 * client. Each connection whose upgrade completes becomes a {@link BotSession}, which records and checks what the
 * client sends and lets the test send as the bot.
 *
 * <pre>{@code
 * try (TestBot bot = TestBot.start(Dialect.TWILIO, Behaviour.ECHO)) {
 *     // point the softswitch at bot.url(), place a call
 *     BotSession session = bot.awaitSession(Duration.ofSeconds(5));
 *     session.awaitEvent("start", Duration.ofSeconds(2));
 *     session.sendTone(440, 500, 0.5, 20);
 *     assertThat(session.violations()).isEmpty();
 * }
 * }</pre>
 */
public final class TestBot implements AutoCloseable {

    /** What the client speaks, and so which rules its messages are checked against. */
    public enum Dialect {
        /** Twilio Media Streams, the softswitch playing Twilio (shared/reference/providers.md 1.2, 1.3). */
        TWILIO,
        /** The plain audio dialect: JSON control messages and binary 16-bit PCM. */
        AUDIO
    }

    /** How the bot answers. */
    public enum Behaviour {
        /** Sends every inbound audio frame straight back (Twilio: a media message with the same payload). */
        ECHO,
        /** Accepts and sends nothing unless the test does. */
        SILENT,
        /** Accepts the TCP connection, reads, and never answers the HTTP upgrade. */
        NO_HANDSHAKE,
        /** Answers the upgrade with HTTP 403 and closes. */
        REJECT
    }

    private final Dialect dialect;
    private final Behaviour behaviour;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final ChannelGroup channels = new DefaultChannelGroup("test-bot", GlobalEventExecutor.INSTANCE);
    private final BlockingQueue<BotSession> unclaimed = new LinkedBlockingQueue<>();
    private final List<BotSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Channel server;
    private final URI url;

    private TestBot(Dialect dialect, Behaviour behaviour) {
        this.dialect = dialect;
        this.behaviour = behaviour;
        try {
            server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new BotServerInitializer(this))
                    .bind("127.0.0.1", 0)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            shutDownLoops();
            throw e;
        }
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        url = URI.create("ws://127.0.0.1:" + port + "/bot");
    }

    /** A bot listening on 127.0.0.1 at an ephemeral port, until {@link #close()}. */
    public static TestBot start(Dialect dialect, Behaviour behaviour) {
        return new TestBot(dialect, behaviour);
    }

    /** {@code ws://127.0.0.1:PORT/bot}. Any path is accepted; {@link BotSession#path()} tells which one came. */
    public URI url() {
        return url;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /**
     * The next session not yet returned by this method, in handshake order, waiting up to {@code timeout} for it. A
     * session is handed out as soon as its WebSocket handshake completes, before any message: wait for the first
     * one with {@link BotSession#awaitEvent}.
     *
     * @throws AssertionError if none completes its handshake in time
     */
    public BotSession awaitSession(Duration timeout) {
        @Nullable BotSession session;
        try {
            session = unclaimed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a bot session", e);
        }
        if (session == null) {
            throw new AssertionError("no WebSocket session to " + url + " within " + timeout + " (" + connections.get()
                    + " TCP connection(s) accepted, " + sessions.size() + " session(s) in all)");
        }
        return session;
    }

    /** Every session so far, in handshake order, whether or not returned by {@link #awaitSession}. */
    public List<BotSession> sessions() {
        return List.copyOf(sessions);
    }

    /** TCP connections accepted so far, upgraded or not. */
    public int connections() {
        return connections.get();
    }

    /** Closes the listening socket and every connection (with no close frame), and stops the event loops. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly();
        shutDownLoops();
    }

    @Override
    public String toString() {
        return "TestBot(" + dialect + ", " + behaviour + ", " + url + ")";
    }

    void accepted(Channel channel) {
        connections.incrementAndGet();
        channels.add(channel);
    }

    void opened(BotSession session) {
        sessions.add(session);
        unclaimed.add(session);
    }

    private void shutDownLoops() {
        Future<?> bossDone = boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> workersDone = workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        bossDone.syncUninterruptibly();
        workersDone.syncUninterruptibly();
    }
}
