package dev.softswitch.assistant.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryCallContextStoreTest {

    /** A clock the test moves by hand. */
    private static final class FakeClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Duration TTL = Duration.ofMinutes(5);

    private final FakeClock clock = new FakeClock();

    private CallContext context(String assistant) {
        return new CallContext(assistant, Map.of("name", "Ada"), "+15551230000", "carrier", clock.instant());
    }

    @Test
    void aContextIsClaimedOnceAndThenIsGone() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock);
        CallContext ctx = context("support");
        store.put("c1", ctx, TTL);

        assertThat(store.claim("c1")).contains(ctx);
        assertThat(store.claim("c1")).isEmpty();
        assertThat(store.claim("unknown")).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void ofManyThreadsClaimingAtOnceExactlyOneWins() throws Exception {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock);
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                String id = "call-" + round;
                store.put(id, context("a" + round), TTL);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<CallContext>>> claims = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    claims.add(pool.submit(() -> {
                        go.await();
                        return store.claim(id);
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Optional<CallContext>> f : claims) {
                    Optional<CallContext> got = f.get(10, TimeUnit.SECONDS);
                    if (got.isPresent()) {
                        winners++;
                        assertThat(got.get().assistantId()).isEqualTo("a" + round);
                    }
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredContextCannotBeClaimed() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock);
        store.put("early", context("a"), TTL);
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(store.claim("early")).isPresent();

        store.put("late", context("b"), TTL);
        clock.advance(TTL);
        assertThat(store.claim("late")).as("claimed at its expiry").isEmpty();
    }

    @Test
    void expiredContextsAreSweptByPutsAndBySweep() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock);
        store.put("a", context("a"), TTL);
        store.put("b", context("b"), TTL);
        clock.advance(TTL);
        store.put("c", context("c"), TTL);
        assertThat(store.size()).as("a and b swept by the put of c").isEqualTo(1);

        store.put("long", context("d"), Duration.ofHours(1));
        clock.advance(TTL);
        store.sweep();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.claim("long")).isPresent();
    }

    @Test
    void aFullStoreDropsItsOldestEntry() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock, 3);
        for (int i = 1; i <= 5; i++) {
            store.put("c" + i, context("a" + i), TTL);
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.claim("c1")).isEmpty();
        assertThat(store.claim("c2")).isEmpty();
        assertThat(store.claim("c3")).isPresent();
        assertThat(store.claim("c5")).isPresent();
    }

    @Test
    void puttingTheSameIdAgainReplacesWithoutGrowing() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock, 2);
        store.put("c1", context("first"), TTL);
        store.put("c2", context("x"), TTL);
        store.put("c1", context("second"), TTL);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.claim("c1").map(CallContext::assistantId)).contains("second");
    }

    @Test
    void aTtlMustBePositive() {
        InMemoryCallContextStore store = new InMemoryCallContextStore(clock);
        assertThatThrownBy(() -> store.put("c", context("a"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void variablesAreCopied() {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("k", "v"));
        CallContext ctx = new CallContext("a", vars, "sip:x@127.0.0.1", null, clock.instant());
        vars.put("k2", "v2");
        assertThat(ctx.variables()).containsOnlyKeys("k");
    }
}
