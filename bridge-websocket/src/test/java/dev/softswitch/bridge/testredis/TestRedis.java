package dev.softswitch.bridge.testredis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Redis the tests share: the one at {@code REDIS_URL} (default {@code redis://127.0.0.1:6379}) when it answers,
 * else a {@link RedisServerProcess} started for this JVM, else a failure naming the Debian package. Each instance is
 * one test's connection under its own random key prefix; {@link #close} deletes the test's keys.
 */
public final class TestRedis implements AutoCloseable {

    private static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    private static @Nullable String url;

    public final RedisClient client;
    public final StatefulRedisConnection<String, String> connection;
    /** The test's own key prefix, e.g. {@code test:2f6c...:}. */
    public final String prefix = "test:" + UUID.randomUUID() + ":";

    public TestRedis() {
        client = RedisClient.create(RedisURI.create(url()));
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        connection = client.connect();
    }

    /** Deletes this test's keys and disconnects. */
    @Override
    public void close() {
        try (StatefulRedisConnection<String, String> cleaner = client.connect()) {
            List<String> keys = cleaner.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                cleaner.sync().del(keys.toArray(new String[0]));
            }
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** The URL of the shared test Redis, starting one on first use when none answers. */
    public static synchronized String url() {
        if (url != null) {
            return url;
        }
        String given = System.getenv("REDIS_URL");
        if (given != null && !given.isBlank()) {
            url = given;
        } else if (RedisServerProcess.answers("127.0.0.1", 6379)) {
            url = DEFAULT_URL;
        } else {
            RedisServerProcess server = RedisServerProcess.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            url = server.url();
        }
        return url;
    }
}
