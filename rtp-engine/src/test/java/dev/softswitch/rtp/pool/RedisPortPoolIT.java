package dev.softswitch.rtp.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared pool against a real Redis (see {@link TestRedis}): each pool object here stands for one softswitch
 * instance, with its own id, over the same keys.
 */
@Timeout(60)
class RedisPortPoolIT {

    private static final String ADDRESS = "127.0.0.1";
    private static final Duration SHORT_TTL = Duration.ofMillis(1500);

    private final TestRedis redis = new TestRedis();
    private final List<RedisPortPool> pools = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        pools.forEach(RedisPortPool::close);
        redis.close();
    }

    /** An instance sharing the test's pool of ports {@code low}-{@code high}. */
    private RedisPortPool instance(String id, int low, int high, Duration leaseTtl, Duration quarantine) {
        RedisPortPool pool = new RedisPortPool(
                        () -> redis.connection,
                        new RedisPortPool.Options(
                                redis.prefix, ADDRESS, low, high, id, leaseTtl, quarantine, Duration.ofSeconds(2)))
                .start();
        pools.add(pool);
        return pool;
    }

    private static List<Integer> leaseAll(PortPool pool) {
        List<Integer> ports = new ArrayList<>();
        for (OptionalInt p = pool.lease(); p.isPresent(); p = pool.lease()) {
            ports.add(p.getAsInt());
        }
        return ports;
    }

    @Test
    void manyThreadsOnTwoInstancesNeverHoldOnePortAtOnce() throws Exception {
        RedisPortPool a = instance("a", 40000, 40039, Duration.ofSeconds(30), Duration.ZERO);
        RedisPortPool b = instance("b", 40000, 40039, Duration.ofSeconds(30), Duration.ZERO);
        Set<Integer> inUse = ConcurrentHashMap.newKeySet();
        Set<Integer> doubled = ConcurrentHashMap.newKeySet();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> leases = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            RedisPortPool mine = t % 2 == 0 ? a : b;
            leases.add(pool.submit(() -> {
                go.await();
                int got = 0;
                for (int round = 0; round < 40; round++) {
                    OptionalInt port = mine.lease();
                    if (port.isEmpty()) {
                        continue; // all 20 pairs busy at this moment: fine, try again
                    }
                    got++;
                    seen.add(port.getAsInt());
                    if (!inUse.add(port.getAsInt())) {
                        doubled.add(port.getAsInt());
                    }
                    inUse.remove(port.getAsInt());
                    mine.release(port.getAsInt());
                }
                return got;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : leases) {
            total += f.get(50, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(doubled).as("ports held by two callers at once").isEmpty();
        assertThat(total).as("leases granted").isGreaterThan(100);
        assertThat(seen).allMatch(p -> p % 2 == 0 && p >= 40000 && p + 1 <= 40039);
        // Once the releases are in, both instances together lease each of the 20 pairs exactly once.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.connection.sync().zcard(key(40000, 40039, "free")) == 20);
        List<Integer> all = new ArrayList<>();
        for (boolean more = true; more; ) {
            OptionalInt x = a.lease();
            OptionalInt y = b.lease();
            x.ifPresent(all::add);
            y.ifPresent(all::add);
            more = x.isPresent() || y.isPresent();
        }
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        assertThat(a.lease()).isEmpty();
        assertThat(b.lease()).isEmpty();
    }

    @Test
    void aKilledInstancesPortsComeBackAfterTheLeaseExpires() {
        RedisPortPool survivor = instance("survivor", 40100, 40107, SHORT_TTL, Duration.ZERO);
        RedisPortPool doomed = instance("doomed", 40100, 40107, SHORT_TTL, Duration.ZERO);
        int mine = survivor.lease().orElseThrow();
        List<Integer> theirs = leaseAll(doomed);
        assertThat(theirs).hasSize(3);

        doomed.close(); // killed: it stops renewing and releases nothing
        assertThat(survivor.lease()).as("the leases have not expired yet").isEmpty();

        List<Integer> back = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    survivor.lease().ifPresent(back::add);
                    return back.size() == 3;
                });
        assertThat(back).containsExactlyInAnyOrderElementsOf(theirs).doesNotContain(mine);
        assertThat(survivor.lease())
                .as("the survivor's own lease, renewed past several TTLs, was never handed out")
                .isEmpty();
    }

    @Test
    void aRestartedInstanceWithANewIdStrandsNothing() {
        RedisPortPool before = instance("host-1:pid-100", 40200, 40207, SHORT_TTL, Duration.ZERO);
        assertThat(leaseAll(before)).hasSize(4);
        before.close(); // the process dies holding every port

        RedisPortPool after = instance("host-1:pid-200", 40200, 40207, SHORT_TTL, Duration.ZERO);
        List<Integer> again = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    again.addAll(leaseAll(after));
                    return again.size() == 4;
                });
        assertThat(new TreeSet<>(again)).containsExactly(40200, 40202, 40204, 40206);
        assertThat(redis.connection.sync().hgetall(key(40200, 40207, "owners")))
                .as("every lease is the new instance's")
                .containsOnlyKeys("40200", "40202", "40204", "40206")
                .allSatisfy((port, owner) -> assertThat(owner).isEqualTo("host-1:pid-200"));
    }

    @Test
    void aReleasedPortStaysInQuarantineForEveryInstance() {
        Duration quarantine = Duration.ofMillis(1500);
        RedisPortPool a = instance("a", 40300, 40301, Duration.ofSeconds(30), quarantine);
        RedisPortPool b = instance("b", 40300, 40301, Duration.ofSeconds(30), quarantine);
        int port = a.lease().orElseThrow();
        long released = System.nanoTime();
        a.release(port);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> redis.connection.sync().zscore(key(40300, 40301, "free"), "40300") != null);

        assertThat(b.lease()).as("in quarantine after a's call").isEmpty();
        assertThat(b.quarantined()).isEqualTo(1);
        assertThat(a.lease()).as("for a too").isEmpty();

        OptionalInt again = await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(b::lease, OptionalInt::isPresent);
        assertThat(again.getAsInt()).isEqualTo(port);
        assertThat(Duration.ofNanos(System.nanoTime() - released)).isGreaterThanOrEqualTo(quarantine.minusMillis(100));
    }

    @Test
    void withRedisGoneLeaseFailsAtOnceAndReleaseDoesNotThrow() {
        var connection = redis.client.connect();
        RedisPortPool pool =
                new RedisPortPool(() -> connection, RedisPortPool.Options.of(redis.prefix, ADDRESS, 40400, 40407, "a"));
        pools.add(pool);
        int port = pool.lease().orElseThrow();
        connection.close();

        long start = System.nanoTime();
        assertThatThrownBy(pool::lease)
                .isInstanceOf(PortPoolUnavailableException.class)
                .hasMessageStartingWith("Redis unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        pool.release(port); // logged and counted, not thrown into the call's teardown
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.errors() >= 2);
        assertThat(pool.leased()).isZero();
    }

    @Test
    void aBrokenConnectionSupplierIsAnUnavailablePoolNotACrash() {
        RedisPortPool pool = new RedisPortPool(
                () -> {
                    throw new IllegalStateException("Redis is not connected yet");
                },
                RedisPortPool.Options.of(redis.prefix, ADDRESS, 40500, 40507, "a"));
        pools.add(pool);
        assertThatThrownBy(pool::lease)
                .isInstanceOf(PortPoolUnavailableException.class)
                .hasMessageContaining("Redis is not connected yet");
    }

    private String key(int low, int high, String name) {
        return redis.prefix + "rtp:{" + ADDRESS + ":" + low + "-" + high + "}:" + name;
    }
}
