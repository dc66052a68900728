package dev.softswitch.app.redis;

import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.context.RedisCallContextStore;
import dev.softswitch.config.RedisConfig;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import dev.softswitch.rtp.pool.PortPool;
import dev.softswitch.rtp.pool.RedisPortPool;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * What instances may share: the RTP port pool and the call context store, both in Redis when one is configured, else
 * both in memory. One store serves the call API and the providers alike.
 *
 * @param pool the RTP port pool
 * @param contexts the call contexts
 * @param redis the connection, or null without Redis
 */
public record SharedState(
        PortPool pool, CallContextStore contexts, @Nullable RedisLink redis) implements AutoCloseable {

    /**
     * The shared state for RTP on {@code address}, ports {@code low}-{@code high}: in Redis when {@code redis} is
     * given (connecting in the background when it does not answer yet), else in memory.
     */
    public static SharedState open(@Nullable RedisConfig redis, String address, int low, int high) {
        if (redis == null || !redis.enabled()) {
            return new SharedState(
                    new InMemoryPortPool(low, high), new InMemoryCallContextStore(Clock.systemUTC()), null);
        }
        RedisLink link = RedisLink.open(redis);
        RedisPortPool pool = new RedisPortPool(
                        link,
                        new RedisPortPool.Options(
                                redis.keyPrefix(),
                                address,
                                low,
                                high,
                                instanceId(),
                                redis.leaseTtl(),
                                InMemoryPortPool.DEFAULT_QUARANTINE,
                                redis.timeout()))
                .start();
        return new SharedState(pool, new RedisCallContextStore(link, redis.keyPrefix(), redis.timeout()), link);
    }

    /**
     * Redis commands that failed or timed out, port pool, context store and health-check PINGs together; 0 without
     * Redis.
     */
    public long redisErrors() {
        long errors = redis == null ? 0 : redis.unansweredPings();
        if (pool instanceof RedisPortPool shared) {
            errors += shared.errors();
        }
        if (contexts instanceof RedisCallContextStore shared) {
            errors += shared.errors();
        }
        return errors;
    }

    /** Stops renewing port leases (they expire if not released) and closes the connection. */
    @Override
    public void close() {
        if (pool instanceof RedisPortPool shared) {
            shared.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * A new id for each start of the process: the host, the process id and 32 random bits, so that a restarted
     * instance (even one with the same pid in a fresh container) never takes over leases it did not make.
     */
    static String instanceId() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "softswitch" : host) + ":"
                + ProcessHandle.current().pid() + ":"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
