package dev.softswitch.rtp;

import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.pool.PortPool;
import dev.softswitch.rtp.session.MediaSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what every call's media shares: the Netty event loops (epoll where it loads, NIO elsewhere), the RTP port pool
 * and the pacer. {@link #open} leases a port and binds a socket for one call; closing the session returns the port.
 */
public final class MediaEngine implements AutoCloseable {

    /** Ports tried per call when some are taken by other programs. */
    private static final int BIND_ATTEMPTS = 8;

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final InetAddress bindAddress;
    private final PortPool pool;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Pacer pacer;
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param bindAddress where RTP sockets listen
     * @param ioThreads event loop threads for RTP (one per core is plenty)
     */
    public MediaEngine(InetAddress bindAddress, PortPool pool, int ioThreads, Pacer pacer) {
        this.bindAddress = bindAddress;
        this.pool = pool;
        this.pacer = pacer;
        DefaultThreadFactory threads = new DefaultThreadFactory("rtp-io", true);
        if (Epoll.isAvailable()) {
            this.group = new EpollEventLoopGroup(ioThreads, threads);
            this.channelType = EpollDatagramChannel.class;
        } else {
            this.group = new NioEventLoopGroup(ioThreads, threads);
            this.channelType = NioDatagramChannel.class;
        }
        log.info(
                "RTP on {} ports {} pairs, {} transport, {} I/O threads",
                bindAddress.getHostAddress(),
                pool.capacity(),
                Epoll.isAvailable() ? "epoll" : "NIO",
                ioThreads);
    }

    /**
     * Leases a port and binds a socket on it for one call. Blocks while binding: call it off the SIP stack's threads.
     *
     * @throws MediaUnavailableException when no port is free or none would bind
     */
    public MediaSession open(String callId) throws MediaUnavailableException {
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            OptionalInt leased = pool.lease();
            if (leased.isEmpty()) {
                throw new MediaUnavailableException("no free RTP port (" + pool.capacity() + " pairs, all in use)");
            }
            int port = leased.getAsInt();
            MediaSession session = new MediaSession(callId, port, pacer);
            ChannelFuture bound = new Bootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_RCVBUF, 256 * 1024)
                    .handler(session.handler())
                    .bind(new InetSocketAddress(bindAddress, port))
                    .awaitUninterruptibly();
            if (!bound.isSuccess()) {
                log.warn(
                        "RTP port {} would not bind ({}); trying another",
                        port,
                        bound.cause().toString());
                pool.release(port);
                continue;
            }
            Channel channel = bound.channel();
            open.incrementAndGet();
            channel.closeFuture().addListener(f -> {
                pool.release(port);
                open.decrementAndGet();
            });
            session.attach(channel);
            return session;
        }
        throw new MediaUnavailableException("no RTP port would bind after " + BIND_ATTEMPTS + " attempts");
    }

    public Pacer pacer() {
        return pacer;
    }

    public PortPool pool() {
        return pool;
    }

    /** Sockets open right now (one per call with media). */
    public int openSessions() {
        return open.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
