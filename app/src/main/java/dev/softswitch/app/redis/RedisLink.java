package dev.softswitch.app.redis;

import dev.softswitch.config.RedisConfig;
import dev.softswitch.config.Secret;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's one connection to Redis, shared by the port pool and the call context store (Lettuce connections are
 * thread-safe and pipeline). It never makes anyone wait for Redis:
 *
 * <ul>
 *   <li>commands are rejected at once while disconnected ({@code REJECT_COMMANDS}) and time out after
 *       {@code redis.timeout} otherwise;
 *   <li>a Redis down at startup does not stop the softswitch: it starts, new calls get 503, and a background task
 *       connects as soon as Redis answers (every second);
 *   <li>a connection lost later is re-established by Lettuce itself, retrying at most every 2 s;
 *   <li>a Redis that keeps the connection but stops answering (a stalled host, a long blocking command, SIGSTOP: TCP
 *       keepalive sees nothing wrong) is caught by a PING every second, bounded by {@code redis.timeout}: while it goes
 *       unanswered, {@link #up} is false, and each command still ends by its timeout.
 * </ul>
 *
 * Each change is logged once ("connected", "lost", "reconnected"), never per command or per attempt. The URL may hold a
 * password: only its host, port and database reach the log.
 */
public final class RedisLink implements Supplier<StatefulRedisConnection<String, String>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    /** How often the connection is checked with a PING (which may take up to the command timeout). */
    private static final Duration HEALTH_PERIOD = Duration.ofSeconds(1);

    private final String location;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicBoolean everConnected = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** False from a PING that went unanswered within the timeout until one is answered (or the link reconnects). */
    private final AtomicBoolean answering = new AtomicBoolean(true);
    /** A PING is out: the next round waits for it rather than queue another behind it. */
    private final AtomicBoolean pinging = new AtomicBoolean();

    private final AtomicLong unansweredPings = new AtomicLong();
    private final Duration timeout;
    private final ScheduledExecutorService connector;
    private final ScheduledExecutorService health;
    private volatile long silentSince;
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile long downSince;

    private RedisLink(Secret url, Duration timeout) {
        this.location = RedisConfig.location(url.reveal());
        this.timeout = timeout;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(url.reveal());
        uri.setTimeout(timeout);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .keepAlive(true)
                        .build())
                .build());
        client.addListener(new Listener());
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redis-connect");
            t.setDaemon(true);
            return t;
        });
        this.health = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redis-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the Redis {@code config} names, waiting at most 2 s; when it does not answer, keeps trying in the
     * background and returns at once.
     *
     * @throws IllegalArgumentException when {@code config} has no URL
     */
    public static RedisLink open(RedisConfig config) {
        Secret url = config.url();
        if (url == null) {
            throw new IllegalArgumentException("no Redis URL configured");
        }
        RedisLink link = new RedisLink(url, config.timeout());
        link.checkHealth();
        if (!link.tryConnect()) {
            log.warn(
                    "Redis at {} does not answer: starting without it; new calls get 503 until it does (trying every"
                            + " {} s)",
                    link.location,
                    CONNECT_RETRY.toSeconds());
            var unused = link.connector.scheduleWithFixedDelay(
                    link::connectInBackground,
                    CONNECT_RETRY.toMillis(),
                    CONNECT_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return link;
    }

    private boolean tryConnect() {
        try {
            connection = client.connect();
            return true;
        } catch (RedisException e) {
            // refused, timed out, or the handshake failed (a wrong password): the warning says it once
            log.debug("Redis at {}: {}", location, e.getMessage());
            return false;
        }
    }

    private void connectInBackground() {
        if (connection == null && tryConnect()) {
            connector.shutdown(); // Lettuce reconnects by itself from now on
        }
    }

    /**
     * The connection.
     *
     * @throws RedisConnectionException while none has been made yet (Redis down since startup)
     */
    @Override
    public StatefulRedisConnection<String, String> get() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            throw new RedisConnectionException("not connected to Redis at " + location + " (down since startup)");
        }
        return c;
    }

    private void checkHealth() {
        var unused = health.scheduleWithFixedDelay(
                this::ping, HEALTH_PERIOD.toMillis(), HEALTH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a PING unless one is out already; never waits for it. Unanswered within the timeout, Redis counts as down
     * until a PING is answered again. A PING refused because the connection is down says nothing new: the listener
     * has it.
     */
    private void ping() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !up.get() || closing.get() || !pinging.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<String> pong;
        try {
            pong = c.async().ping().toCompletableFuture();
        } catch (RuntimeException e) {
            pinging.set(false); // refused at once: disconnected or closing, which the listener handles
            return;
        }
        var unused = pong.whenComplete((answer, e) -> {
            pinging.set(false);
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                if (answering.compareAndSet(false, true)) {
                    log.info(
                            "Redis at {} answers again after {} s: new calls are taken again",
                            location,
                            (System.nanoTime() - silentSince) / 1_000_000_000);
                }
            } else if (cause instanceof RedisCommandTimeoutException && up.get() && !closing.get()) {
                unansweredPings.incrementAndGet();
                if (answering.compareAndSet(true, false)) {
                    silentSince = System.nanoTime();
                    log.warn(
                            "Redis at {} keeps the connection but does not answer (no PONG within {} ms): new calls get"
                                    + " 503 until it does; calls in progress keep their media",
                            location,
                            timeout.toMillis());
                }
            }
        });
    }

    /** Whether the connection is up and Redis answers it right now (its last PING did not go unanswered). */
    public boolean up() {
        return up.get() && answering.get();
    }

    /** Health-check PINGs that went unanswered within the timeout. */
    public long unansweredPings() {
        return unansweredPings.get();
    }

    /** Where Redis is, for a log line: host, port and database, never the password. */
    public String location() {
        return location;
    }

    @Override
    public void close() {
        closing.set(true); // a disconnect we asked for is no outage
        connector.shutdownNow();
        health.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Logs each change of state once; Lettuce's own per-attempt reconnect lines are turned down in logback.xml. */
    private final class Listener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            answering.set(true); // a new connection's handshake was answered
            if (!up.compareAndSet(false, true)) {
                return;
            }
            if (everConnected.compareAndSet(false, true)) {
                log.info("connected to Redis at {}: RTP ports and call contexts are shared there", location);
            } else {
                log.info(
                        "reconnected to Redis at {} after {} s: new calls are taken again",
                        location,
                        (System.nanoTime() - downSince) / 1_000_000_000);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (up.compareAndSet(true, false) && !closing.get()) {
                downSince = System.nanoTime();
                log.warn(
                        "lost Redis at {}: new calls get 503 until it is back (reconnecting); calls in progress keep"
                                + " their media",
                        location);
            }
        }
    }
}
