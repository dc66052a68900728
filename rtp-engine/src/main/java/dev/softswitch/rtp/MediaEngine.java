package dev.softswitch.rtp;

import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.pacer.SendClock;
import dev.softswitch.rtp.pacer.SendIntervals;
import dev.softswitch.rtp.pool.PortPool;
import dev.softswitch.rtp.pool.PortPoolUnavailableException;
import dev.softswitch.rtp.session.MediaSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.InstantSource;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what every call's media shares: the Netty event loops (epoll where it loads, NIO elsewhere), the RTP port pool
 * and the pacer. {@link #open} leases a port pair and binds RTP on the even port and RTCP on the odd one above (or RTP
 * alone with rtcp-mux) for one call; closing the session returns the pair once both sockets are closed.
 */
public final class MediaEngine implements AutoCloseable {

    private volatile boolean jitterBuffer = true;

    /** Ports tried per call when some are taken by other programs. */
    private static final int BIND_ATTEMPTS = 8;

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final InetAddress bindAddress;
    private final PortPool pool;
    private final EventLoopGroup group;
    /**
     * Makes the RTP and RTCP sockets. On an IPv4 address they are IPv4 sockets: on a dual-stack socket every send
     * turned the destination into an IPv4-mapped IPv6 address, a new array per packet.
     */
    private final ChannelFactory<? extends Channel> channels;

    private final Pacer pacer;
    private final SendIntervals sendIntervals = new SendIntervals();
    private final InstantSource clock;
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param bindAddress where RTP sockets listen
     * @param ioThreads event loop threads for RTP (one per core is plenty)
     */
    public MediaEngine(InetAddress bindAddress, PortPool pool, int ioThreads, Pacer pacer) {
        this(bindAddress, pool, ioThreads, pacer, Clock.systemUTC());
    }

    /**
     * @param clock the wallclock RTCP reports carry and round-trip times are measured by
     */
    public MediaEngine(InetAddress bindAddress, PortPool pool, int ioThreads, Pacer pacer, InstantSource clock) {
        this.bindAddress = bindAddress;
        this.pool = pool;
        this.pacer = pacer;
        this.clock = clock;
        // The highest Java priority, as the pacer: it means something only where priorities map to the OS
        // (-XX:ThreadPriorityPolicy=1 with CAP_SYS_NICE), and there the media threads go before the rest.
        DefaultThreadFactory threads = new DefaultThreadFactory("rtp-io", true, Thread.MAX_PRIORITY);
        InternetProtocolFamily family =
                bindAddress instanceof Inet4Address ? InternetProtocolFamily.IPv4 : InternetProtocolFamily.IPv6;
        if (Epoll.isAvailable()) {
            this.group = new EpollEventLoopGroup(ioThreads, threads);
            this.channels = () -> new EpollDatagramChannel(family);
        } else {
            this.group = new NioEventLoopGroup(ioThreads, threads);
            this.channels = () -> new NioDatagramChannel(family);
        }
        log.info(
                "RTP on {} ports {} pairs, {} transport, {} I/O threads",
                bindAddress.getHostAddress(),
                pool.capacity(),
                Epoll.isAvailable() ? "epoll" : "NIO",
                ioThreads);
    }

    /** As {@link #open(String, boolean)} with RTCP on its own port. */
    public MediaSession open(String callId) throws MediaUnavailableException {
        return open(callId, false);
    }

    /**
     * Leases a port pair and binds sockets on it for one call: RTP on the even port and, unless {@code rtcpMux}, RTCP
     * on the odd one. Blocks while binding: call it off the SIP stack's threads.
     *
     * @param rtcpMux whether RTCP shares the RTP port (RFC 5761), as the answer agreed
     * @throws MediaUnavailableException when no port is free, none would bind, or a shared pool is unreachable (that
     *     takes at most its command timeout)
     */
    public MediaSession open(String callId, boolean rtcpMux) throws MediaUnavailableException {
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            OptionalInt leased;
            try {
                leased = pool.lease();
            } catch (PortPoolUnavailableException e) {
                throw new MediaUnavailableException(
                        "no RTP port: the shared port pool is unavailable: " + e.getMessage());
            }
            if (leased.isEmpty()) {
                int quarantined = pool.quarantined();
                throw new MediaUnavailableException(
                        quarantined == 0
                                ? "no free RTP port (" + pool.capacity() + " pairs, all in use)"
                                : "no free RTP port (" + pool.capacity() + " pairs: " + pool.leased() + " in use, "
                                        + quarantined + " in quarantine after their calls)");
            }
            int port = leased.getAsInt();
            MediaSession session = new MediaSession(callId, port, pacer, rtcpMux, clock, jitterBuffer);
            ChannelFuture[] binding = bindPair(port, session, rtcpMux);
            Channel rtp = bound(binding[0], port);
            Channel rtcp = binding[1] == null ? null : bound(binding[1], port + 1);
            if (rtp == null || (binding[1] != null && rtcp == null)) {
                closeAll(rtp, rtcp);
                pool.release(port);
                continue;
            }
            open.incrementAndGet();
            // The pair goes back to the pool once every socket on it is closed.
            AtomicInteger sockets = new AtomicInteger(rtcp == null ? 1 : 2);
            Runnable closed = () -> {
                if (sockets.decrementAndGet() == 0) {
                    pool.release(port);
                    open.decrementAndGet();
                }
            };
            rtp.closeFuture().addListener(f -> closed.run());
            if (rtcp != null) {
                rtcp.closeFuture().addListener(f -> closed.run());
            }
            session.attach(rtp, rtcp);
            return session;
        }
        throw new MediaUnavailableException("no RTP port would bind after " + BIND_ATTEMPTS + " attempts");
    }

    /**
     * Starts binding the call's sockets, RTP on {@code port} (its pipeline led by the {@link SendClock}) and RTCP on the
     * port above unless {@code rtcpMux}, and returns their futures (RTCP's null with rtcp-mux). The work is done on the
     * event loop that will serve both sockets: Netty then registers them without a wake-up per step, and finds each
     * handler's event mask in its per-thread cache, where a call's own virtual thread (a new one every time) would
     * work it out by reflection.
     */
    private ChannelFuture[] bindPair(int port, MediaSession session, boolean rtcpMux) {
        EventLoop loop = group.next();
        return loop.submit(() -> {
                    Channel rtp = bootstrap(loop, session.handler()).register().channel();
                    rtp.pipeline().addFirst(new SendClock(sendIntervals));
                    return new ChannelFuture[] {
                        rtp.bind(new InetSocketAddress(bindAddress, port)),
                        rtcpMux ? null : bootstrap(loop, session.rtcpHandler()).bind(bindAddress, port + 1)
                    };
                })
                .syncUninterruptibly()
                .getNow();
    }

    private Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channelFactory(channels)
                .option(ChannelOption.SO_RCVBUF, 256 * 1024)
                .handler(handler);
    }

    /** The socket {@code bind} made, once it is done, or null (logged, the socket closed) when it would not bind. */
    private static @Nullable Channel bound(ChannelFuture bind, int port) {
        if (bind.awaitUninterruptibly().isSuccess()) {
            return bind.channel();
        }
        log.warn(
                "{} port {} would not bind ({}); trying another",
                (port & 1) == 0 ? "RTP" : "RTCP",
                port,
                bind.cause().toString());
        bind.channel().close();
        return null;
    }

    private static void closeAll(@Nullable Channel... channels) {
        for (Channel c : channels) {
            if (c != null) {
                c.close().awaitUninterruptibly();
            }
        }
    }

    /**
     * Whether new sessions put the caller's 20 ms packets through an adaptive jitter buffer (on by default); off, each
     * packet's audio goes to the assistant as it arrives, and a reordered packet is dropped as late.
     */
    public MediaEngine jitterBuffer(boolean on) {
        this.jitterBuffer = on;
        return this;
    }

    public Pacer pacer() {
        return pacer;
    }

    /** The time between consecutive outbound RTP packets of each call, as they reach the sockets. */
    public SendIntervals sendIntervals() {
        return sendIntervals;
    }

    public PortPool pool() {
        return pool;
    }

    /** Calls with media sockets open right now. */
    public int openSessions() {
        return open.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
