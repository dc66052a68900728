package dev.softswitch.rtp.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InMemoryPortPoolTest {

    /** A pool without quarantine: what these tests follow is the order ports come back in. */
    private static InMemoryPortPool lru(int low, int high) {
        return new InMemoryPortPool(low, high, java.time.Duration.ZERO, System::nanoTime);
    }

    private static List<Integer> leaseAll(PortPool pool) {
        List<Integer> ports = new ArrayList<>();
        for (OptionalInt p = pool.lease(); p.isPresent(); p = pool.lease()) {
            ports.add(p.getAsInt());
        }
        return ports;
    }

    @Test
    void leasesEvenPortsWhoseRtcpPortIsInTheRangeToo() {
        InMemoryPortPool pool = lru(42000, 42100);

        List<Integer> ports = leaseAll(pool);

        assertEquals(50, pool.capacity());
        assertEquals(50, ports.size());
        assertEquals(50, new TreeSet<>(ports).size(), "no port twice");
        for (int port : ports) {
            assertEquals(0, port % 2, port + " is odd");
            assertTrue(port >= 42000 && port + 1 <= 42100, port + "/" + (port + 1) + " outside 42000-42100");
        }
        assertEquals(42000, ports.get(0));
        assertEquals(42098, ports.get(ports.size() - 1), "42100 is not leased: its RTCP port 42101 is out of range");
    }

    @Test
    void anExhaustedPoolLeasesNothingUntilAPortIsReleased() {
        InMemoryPortPool pool = lru(42000, 42003);
        assertEquals(List.of(42000, 42002), leaseAll(pool));

        assertEquals(OptionalInt.empty(), pool.lease());
        assertEquals(2, pool.leased());

        pool.release(42002);
        assertEquals(1, pool.leased());
        assertEquals(OptionalInt.of(42002), pool.lease());
        assertEquals(OptionalInt.empty(), pool.lease());
    }

    @Test
    void thePortReleasedLongestAgoIsLeasedFirst() {
        InMemoryPortPool pool = lru(42000, 42009);
        assertEquals(List.of(42000, 42002, 42004, 42006, 42008), leaseAll(pool));

        pool.release(42004);
        pool.release(42000);
        pool.release(42008);

        assertEquals(OptionalInt.of(42004), pool.lease());
        assertEquals(OptionalInt.of(42000), pool.lease());
        assertEquals(OptionalInt.of(42008), pool.lease());
        assertEquals(OptionalInt.empty(), pool.lease());
    }

    @Test
    void aPortJustFreedIsTheLastToBeReused() {
        InMemoryPortPool pool = lru(42000, 42009);
        int first = pool.lease().getAsInt();

        pool.release(first);

        assertEquals(List.of(42002, 42004, 42006, 42008, 42000), leaseAll(pool));
    }

    @Test
    void releasingAPortThatIsNotLeasedIsAnError() {
        InMemoryPortPool pool = lru(42000, 42009);
        int port = pool.lease().getAsInt();
        pool.release(port);

        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> pool.release(port));
        assertEquals("port 42000 is not leased from this pool", twice.getMessage());

        assertThrows(IllegalStateException.class, () -> pool.release(42002), "never leased");
        assertThrows(IllegalStateException.class, () -> pool.release(42001), "odd: an RTCP port");
        assertThrows(IllegalStateException.class, () -> pool.release(41998), "below the range");
        assertThrows(IllegalStateException.class, () -> pool.release(41999), "just below the range");
        assertThrows(IllegalStateException.class, () -> pool.release(42010), "above the range");
        assertEquals(0, pool.leased());
        assertEquals(5, leaseAll(pool).size(), "failed releases did not add ports");
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource(textBlock = """
                    42001, 42010, 42002, 42008, 4
                    42001, 42011, 42002, 42010, 5
                    42000, 42001, 42000, 42000, 1
                    1024,  1025,  1024,  1024,  1
                    65534, 65535, 65534, 65534, 1
                    """)
    void oddBoundsAreRoundedInward(int low, int high, int firstPort, int lastPort, int pairs) {
        InMemoryPortPool pool = new InMemoryPortPool(low, high);

        List<Integer> ports = leaseAll(pool);

        assertEquals(pairs, pool.capacity());
        assertEquals(pairs, ports.size());
        assertEquals(firstPort, ports.get(0));
        assertEquals(lastPort, ports.get(ports.size() - 1));
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource(delimiter = '|', textBlock = """
                    1023  | 2000  | RTP port range 1023-2000 must lie within 1024-65535
                    0     | 65535 | RTP port range 0-65535 must lie within 1024-65535
                    2000  | 65536 | RTP port range 2000-65536 must lie within 1024-65535
                    5000  | 5000  | RTP port range 5000-5000 must lie within 1024-65535
                    5000  | 4000  | RTP port range 5000-4000 must lie within 1024-65535
                    1025  | 1026  | RTP port range 1025-1026 holds no even/odd pair
                    """)
    void invalidRangesAreRejectedSayingWhy(int low, int high, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new InMemoryPortPool(low, high));

        assertEquals(message, e.getMessage());
    }

    @Test
    void eightThreadsLeasingAndReleasingAtOnceNeverGetTheSamePort() throws Exception {
        // 100 pairs for 8 threads that each hold up to 20: the pool runs dry now and then.
        InMemoryPortPool pool = lru(20000, 20199);
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    go.await();
                    ArrayDeque<Integer> mine = new ArrayDeque<>();
                    int duplicates = 0;
                    for (int i = 0; i < 20_000; i++) {
                        OptionalInt leased = pool.lease();
                        if (leased.isPresent()) {
                            int port = leased.getAsInt();
                            if (!held.add(port)) {
                                duplicates++; // another thread holds it right now
                            }
                            mine.addLast(port);
                        }
                        if (mine.size() > 20 || (leased.isEmpty() && !mine.isEmpty())) {
                            int port = mine.removeFirst();
                            held.remove(port);
                            pool.release(port);
                        }
                    }
                    return duplicates;
                }));
            }
            go.countDown();
            for (Future<Integer> r : results) {
                assertEquals(0, r.get(60, TimeUnit.SECONDS), "a port was handed to two holders");
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(held.size(), pool.leased(), "every port still held is counted as leased, and no other");
        for (int port : held) {
            pool.release(port);
        }
        assertEquals(0, pool.leased());
        assertEquals(100, leaseAll(pool).size(), "every pair came back");
    }

    @Test
    void eightThreadsDrainingThePoolShareItWithoutOverlap() throws Exception {
        InMemoryPortPool pool = lru(20000, 29999);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Integer> all = new ArrayList<>();
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return leaseAll(pool);
                }));
            }
            go.countDown();
            for (Future<List<Integer>> r : results) {
                all.addAll(r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(5000, pool.capacity());
        assertEquals(5000, all.size());
        assertEquals(5000, new TreeSet<>(all).size());
        assertEquals(5000, pool.leased());
    }

    @Test
    void aReleasedPortIsQuarantinedBeforeItIsLeasedAgain() {
        long[] now = {1_000_000_000L};
        InMemoryPortPool pool = new InMemoryPortPool(42000, 42003, java.time.Duration.ofSeconds(2), () -> now[0]);
        int first = pool.lease().getAsInt();
        int second = pool.lease().getAsInt();
        assertTrue(pool.lease().isEmpty(), "two pairs, both leased");

        pool.release(first);
        now[0] += 1_999_000_000L;
        assertTrue(pool.lease().isEmpty(), "the released port is still in quarantine");
        assertEquals(1, pool.quarantined());
        assertEquals(1, pool.quarantineRefusals());

        pool.release(second);
        now[0] += 1_000_000L;
        assertEquals(first, pool.lease().getAsInt(), "out of quarantine after 2 s, least recently released first");
        assertTrue(pool.lease().isEmpty(), "the other is still in quarantine");
        now[0] += 2_000_000_000L;
        assertEquals(second, pool.lease().getAsInt());
    }
}
