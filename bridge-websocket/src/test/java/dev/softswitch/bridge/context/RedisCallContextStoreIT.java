package dev.softswitch.bridge.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.CallContextStoreException;
import dev.softswitch.bridge.testredis.TestRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared store against a real Redis; two store objects stand for two instances. */
@Timeout(60)
class RedisCallContextStoreIT {

    private static final CallContext CONTEXT = new CallContext(
            "sales-bot", Map.of("customer", "Ada"), "+15551234567", "carrier-a", Instant.parse("2025-03-01T12:00:00Z"));

    private final TestRedis redis = new TestRedis();
    private final RedisCallContextStore instanceA = store(redis.connection);
    private final RedisCallContextStore instanceB = store(redis.client.connect());

    private RedisCallContextStore store(StatefulRedisConnection<String, String> connection) {
        return new RedisCallContextStore(() -> connection, redis.prefix, Duration.ofSeconds(2));
    }

    @AfterEach
    void cleanUp() {
        redis.close();
    }

    @Test
    void storedOnOneInstanceClaimedOnTheOtherOnce() {
        instanceA.put("call-1", CONTEXT, Duration.ofMinutes(5));

        assertThat(instanceB.claim("call-1")).contains(CONTEXT);
        assertThat(instanceB.claim("call-1")).as("single use").isEmpty();
        assertThat(instanceA.claim("call-1")).isEmpty();
        assertThat(instanceA.claim("never-stored")).isEmpty();
    }

    @Test
    void ofManyConcurrentClaimsFromTwoInstancesExactlyOneWins() throws Exception {
        int calls = 50;
        int claimers = 8;
        for (int c = 0; c < calls; c++) {
            instanceA.put("call-" + c, CONTEXT, Duration.ofMinutes(5));
        }
        ExecutorService threads = Executors.newFixedThreadPool(claimers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> wins = new ArrayList<>();
        for (int t = 0; t < claimers; t++) {
            RedisCallContextStore store = t % 2 == 0 ? instanceA : instanceB;
            wins.add(threads.submit(() -> {
                go.await();
                int won = 0;
                for (int c = 0; c < calls; c++) {
                    Optional<CallContext> claimed = store.claim("call-" + c);
                    if (claimed.isPresent()) {
                        assertThat(claimed.get()).isEqualTo(CONTEXT);
                        won++;
                    }
                }
                return won;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> w : wins) {
            total += w.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(total).as("claims that won, over " + calls + " contexts").isEqualTo(calls);
    }

    @Test
    void anExpiredContextIsGone() {
        instanceA.put("short", CONTEXT, Duration.ofMillis(700));
        instanceA.put("long", CONTEXT, Duration.ofMinutes(5));
        assertThat(redis.connection.sync().pttl(redis.prefix + "context:short")).isBetween(1L, 700L);
        assertThat(redis.connection.sync().pttl(redis.prefix + "context:long"))
                .isBetween(
                        Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> redis.connection.sync().exists(redis.prefix + "context:short") == 0);

        assertThat(instanceB.claim("short")).isEmpty();
        assertThat(instanceB.claim("long")).contains(CONTEXT);
    }

    @Test
    void aPutReplacesWhatWasThere() {
        CallContext other = new CallContext("echo", Map.of(), "+1555", null, Instant.parse("2025-03-01T12:00:01Z"));
        instanceA.put("call", CONTEXT, Duration.ofMinutes(5));
        instanceB.put("call", other, Duration.ofMinutes(5));

        assertThat(instanceA.claim("call")).contains(other);
    }

    @Test
    void withRedisGoneBothFailAtOnceWithTheReason() {
        StatefulRedisConnection<String, String> gone = redis.client.connect();
        RedisCallContextStore store = store(gone);
        gone.close();

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.put("call", CONTEXT, Duration.ofMinutes(5)))
                .isInstanceOf(CallContextStoreException.class)
                .hasMessageStartingWith("call context store failed: Redis unreachable");
        assertThatThrownBy(() -> store.claim("call"))
                .isInstanceOf(CallContextStoreException.class)
                .hasMessageStartingWith("call context claim failed: Redis unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(store.errors()).isEqualTo(2);
    }

    @Test
    void aNonPositiveTtlIsRefused() {
        assertThatThrownBy(() -> instanceA.put("call", CONTEXT, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
