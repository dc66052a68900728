package dev.softswitch.rtp.pool;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port pool shared through Redis by every instance that media-binds the same address: no two of them lease one port.
 * Lease, release and renewal are Lua scripts ({@link RedisPoolScripts}), atomic on the server. Each lease carries this
 * instance's id and an expiry that a background task pushes back every third of the lease TTL, so the ports of an
 * instance that crashed (or restarted under a new id) come back by themselves once their leases expire, and nothing is
 * stranded. A released port is quarantined for every instance alike.
 *
 * <p>Redis unreachable: {@link #lease} fails within the command timeout with {@link PortPoolUnavailableException}
 * (the call gets 503), while calls already up keep their ports: a failed release is logged and its lease left to
 * expire, and renewal simply tries again on its next round (taking back leases that expired meanwhile if nobody else
 * holds them). {@link #lease} blocks for at most the timeout: call it off SIP stack threads and event loops, as {@code
 * MediaEngine.open} is. {@link #release} never blocks, as it runs on the event loop that closed the call's socket.
 */
public final class RedisPortPool implements PortPool, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisPortPool.class);

    /** How often {@link #lease} asks again when Redis hands back a port this instance already holds. */
    private static final int LEASE_ATTEMPTS = 8;

    /**
     * What a shared pool is and how it behaves.
     *
     * @param keyPrefix prepended to every key, e.g. {@code softswitch:}
     * @param address the address RTP binds to: instances that share it share the pool
     * @param low first port of the range (rounded up to even)
     * @param high last port of the range, inclusive; the last pair's RTCP port must not exceed it
     * @param instanceId this process, unique per start: leases are recorded under it
     * @param leaseTtl how long a lease lasts without renewal (renewed every third of it)
     * @param quarantine how long a released port waits before anyone leases it again
     * @param timeout the longest any Redis command may take
     */
    public record Options(
            String keyPrefix,
            String address,
            int low,
            int high,
            String instanceId,
            Duration leaseTtl,
            Duration quarantine,
            Duration timeout) {

        public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

        public Options {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(instanceId, "instanceId");
            if (low < 1024 || high > 65535 || low >= high || low + (low & 1) + 1 > high) {
                throw new IllegalArgumentException(
                        "RTP port range " + low + "-" + high + " holds no even/odd pair" + " within 1024-65535");
            }
            if (leaseTtl.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("the lease TTL must be at least 300 ms");
            }
            if (timeout.isNegative() || timeout.isZero() || quarantine.isNegative()) {
                throw new IllegalArgumentException("the timeout must be positive and the quarantine not negative");
            }
        }

        /** The defaults: 30 s leases, the in-memory pool's quarantine, 500 ms per command. */
        public static Options of(String keyPrefix, String address, int low, int high, String instanceId) {
            return new Options(
                    keyPrefix,
                    address,
                    low,
                    high,
                    instanceId,
                    DEFAULT_LEASE_TTL,
                    InMemoryPortPool.DEFAULT_QUARANTINE,
                    DEFAULT_TIMEOUT);
        }
    }

    private final Supplier<StatefulRedisConnection<String, String>> redis;
    private final Options options;
    private final String[] keys;
    private final int first;
    private final int last;
    private final int capacity;
    /** The ports this instance holds: the ones it renews. */
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();

    /** One party per release sent and not yet answered, and the pool's own: {@link #close} waits for the others. */
    private final Phaser releasing = new Phaser(1);

    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int lastQuarantined;
    private final ScheduledExecutorService renewer;

    /**
     * A pool over {@code redis}; call {@link #start} to begin renewing leases.
     *
     * @param redis the connection to use; may throw while none is up (the pool then counts as unreachable)
     */
    public RedisPortPool(Supplier<StatefulRedisConnection<String, String>> redis, Options options) {
        this.redis = redis;
        this.options = options;
        this.first = options.low() + (options.low() & 1);
        int lastRtp = options.high() - 1;
        this.last = lastRtp - (lastRtp & 1);
        this.capacity = (last - first) / 2 + 1;
        // One hash tag for the pool: a Redis Cluster keeps all its keys in one slot, as a script needs.
        String base =
                options.keyPrefix() + "rtp:{" + options.address() + ":" + options.low() + "-" + options.high() + "}:";
        this.keys = new String[] {base + "free", base + "leases", base + "owners", base + "seeded"};
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-pool-renew");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts renewing this instance's leases, every third of the lease TTL. */
    public RedisPortPool start() {
        long period = options.leaseTtl().toMillis() / 3;
        var unused = renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
        log.info(
                "RTP ports {}-{} shared through Redis ({} pairs, keys {}*), instance {}, leases of {} s",
                options.low(),
                options.high(),
                capacity,
                keys[0].substring(0, keys[0].length() - "free".length()),
                options.instanceId(),
                options.leaseTtl().toMillis() / 1000.0);
        return this;
    }

    /**
     * Leases an even RTP port that no instance holds, or empty when every pair is leased or in quarantine.
     *
     * @throws PortPoolUnavailableException when Redis did not answer within the timeout
     */
    @Override
    public OptionalInt lease() {
        for (int attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
            List<Object> answer = call(
                    RedisPoolScripts.LEASE,
                    options.instanceId(),
                    Long.toString(options.leaseTtl().toMillis()),
                    Integer.toString(first),
                    Integer.toString(last));
            int port = ((Long) answer.get(0)).intValue();
            if (port == 0) {
                lastQuarantined = ((Long) answer.get(2)).intValue();
                return OptionalInt.empty();
            }
            if (held.add(port)) {
                return OptionalInt.of(port);
            }
            // Redis had lost this lease (restarted without its data) though a call of ours is on the port: the script
            // has just recorded it as ours again, which is right. Take another one for the new call.
            log.warn("Redis handed out port {}, which a call of this instance holds: kept it, leasing another", port);
        }
        return OptionalInt.empty();
    }

    /**
     * Puts the port in quarantine for every instance. Never blocks and never throws for Redis: a release that fails is
     * logged and counted, and the lease, no longer renewed, expires by itself.
     */
    @Override
    public void release(int rtpPort) {
        if (!held.remove(rtpPort)) {
            throw new IllegalStateException("port " + rtpPort + " is not leased from this pool");
        }
        sendRelease(rtpPort);
    }

    private void sendRelease(int rtpPort) {
        CompletableFuture<Long> done;
        try {
            done = RedisPoolScripts.RELEASE.run(
                    redis.get(),
                    ScriptOutputType.INTEGER,
                    options.timeout(),
                    keys,
                    options.instanceId(),
                    Integer.toString(rtpPort),
                    Long.toString(options.quarantine().toMillis()));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e); // no connection: counted and logged below, like a timeout
        }
        releasing.register();
        var unused = done.whenComplete((released, e) -> {
            releasing.arriveAndDeregister();
            if (e != null) {
                failed(
                        "port " + rtpPort + " not returned (its lease expires within "
                                + options.leaseTtl().toSeconds() + " s)",
                        LuaScript.unwrap(e));
            } else {
                succeeded();
                if (released == 0) {
                    log.warn(
                            "port {} was held by another instance when released: this one's lease had expired",
                            rtpPort);
                }
            }
        });
    }

    /** Extends this instance's leases now (the background task does it every third of the TTL). */
    public void renew() {
        Integer[] ports = held.toArray(new Integer[0]);
        if (ports.length == 0) {
            return;
        }
        String[] args = new String[ports.length + 2];
        args[0] = options.instanceId();
        args[1] = Long.toString(options.leaseTtl().toMillis());
        for (int i = 0; i < ports.length; i++) {
            args[i + 2] = ports[i].toString();
        }
        List<Object> lost = call(RedisPoolScripts.RENEW, args);
        for (Integer port : ports) {
            if (!held.contains(port)) {
                sendRelease(port); // released while the renewal ran, which may have taken it back: release it again
            }
        }
        if (!lost.isEmpty()) {
            log.warn(
                    "ports {} of calls in progress are leased by another instance now (this one's leases expired)",
                    lost);
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (PortPoolUnavailableException e) {
            // Counted and logged once by failed(); the next round tries again.
        } catch (RuntimeException e) {
            log.error("renewing RTP port leases failed", e); // a bug: the task must go on all the same
        }
    }

    /** Pairs leased by this instance (other instances' leases are theirs to count). */
    @Override
    public int leased() {
        return held.size();
    }

    /** Pairs in the shared pool, leased or not, by any instance. */
    @Override
    public int capacity() {
        return capacity;
    }

    /** Pairs in quarantine as of the last lease this pool refused (it is asked right after one). */
    @Override
    public int quarantined() {
        return lastQuarantined;
    }

    /** Redis commands of this pool that failed or timed out. */
    public long errors() {
        return errors.get();
    }

    /** The id leases are recorded under. */
    public String instanceId() {
        return options.instanceId();
    }

    /**
     * Stops renewing and waits up to the timeout for releases in flight. Leases still held are left to expire, as a
     * crashed instance's would.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        renewer.shutdownNow();
        try {
            releasing.awaitAdvanceInterruptibly(
                    releasing.arrive(), options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            // each release that did not make it is logged; its lease expires
        }
    }

    /** Runs a script that answers a list and waits for it, at most the timeout. */
    private List<Object> call(LuaScript script, String... args) {
        StatefulRedisConnection<String, String> connection;
        CompletableFuture<List<Object>> answer;
        try {
            connection = redis.get();
        } catch (RuntimeException e) {
            throw unavailable(e); // not connected (yet): whatever the supplier throws says why
        }
        try {
            answer = script.run(connection, ScriptOutputType.MULTI, options.timeout(), keys, args);
        } catch (RedisException e) {
            throw unavailable(e); // refused at once: disconnected, or the connection is closed
        }
        try {
            List<Object> value = answer.get();
            succeeded();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause() == null ? e : e.getCause());
        }
    }

    private PortPoolUnavailableException unavailable(Throwable cause) {
        if (cause instanceof PortPoolUnavailableException already) {
            return already;
        }
        failed("RTP port leases unavailable", cause);
        return new PortPoolUnavailableException("Redis unreachable (" + describe(cause) + ")", cause);
    }

    /** Counts a failure; logs the first of a run of them (Redis's own outage is logged where the connection is). */
    private void failed(String what, Throwable cause) {
        errors.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            log.warn("{}: Redis unreachable ({}); further failures at debug until it answers", what, describe(cause));
        } else {
            log.debug("{}: {}", what, describe(cause));
        }
    }

    private void succeeded() {
        if (failing.compareAndSet(true, false)) {
            log.info("RTP port leases in Redis work again");
        }
    }

    private String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no answer within " + options.timeout().toMillis() + " ms";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
