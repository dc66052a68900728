package dev.softswitch.sip.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.config.OutboundLimits;
import dev.softswitch.config.OutboundTrunk;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.guard.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Per-trunk caps: prefixes, calls at once, calls per minute; slots given back once; counts by reason. */
class OutboundGuardTest {

    private final TestClock clock = new TestClock();

    private static TrunkConfig trunk(String name, String host, @Nullable String proxy, OutboundLimits limits) {
        OutboundTrunk outbound = new OutboundTrunk(
                host, 5060, "udp", null, null, proxy, null, false, OutboundTrunk.DEFAULT_REGISTER_EXPIRES, limits);
        return new TrunkConfig(name, List.of(), null, Map.of(), dev.softswitch.config.CallLimits.UNLIMITED, outbound);
    }

    private OutboundGuard guard(OutboundLimits limits) {
        return new OutboundGuard(
                List.of(
                        trunk("carrier", "sip.carrier.example", "Proxy.Carrier.Example", limits),
                        trunk("open", "192.0.2.20", null, OutboundLimits.NONE)),
                clock);
    }

    private static OutboundGuard.Admitted admitted(OutboundGuard.Decision decision) {
        assertThat(decision).isInstanceOf(OutboundGuard.Admitted.class);
        return (OutboundGuard.Admitted) decision;
    }

    private static OutboundRefusal refused(OutboundGuard.Decision decision) {
        assertThat(decision).isInstanceOf(OutboundGuard.Refused.class);
        return ((OutboundGuard.Refused) decision).refusal();
    }

    @Test
    void aNumberOutsideThePrefixesIsRefusedAndCountedWithoutTakingASlot() {
        OutboundGuard guard = guard(new OutboundLimits(1, 1, List.of("+1", "+44")));

        OutboundRefusal refusal = refused(guard.admit("carrier", "sip:+4930123456@sip.carrier.example"));
        assertThat(refusal).isInstanceOf(OutboundRefusal.PrefixNotAllowed.class);
        assertThat(refusal.label()).isEqualTo("prefix");
        assertThat(refusal.httpStatus()).isEqualTo(403);
        assertThat(refusal.detail()).isEqualTo("trunk carrier does not call +4930123456: allowed_prefixes are +1, +44");
        assertThat(refused(guard.admit("carrier", "sip:alice@sip.carrier.example"))
                        .detail())
                .isEqualTo("trunk carrier does not call 'sip:alice@sip.carrier.example' (not a telephone number):"
                        + " allowed_prefixes are +1, +44");
        assertThat(refused(guard.admit("carrier", "sip:15551230000@sip.carrier.example")))
                .as("+1 does not allow 1...")
                .isInstanceOf(OutboundRefusal.PrefixNotAllowed.class);
        assertThat(guard.refused("carrier", "prefix")).isEqualTo(3);
        assertThat(guard.activeCalls("carrier")).isZero();

        OutboundGuard.Admitted ok = admitted(guard.admit("carrier", "sip:+1%20555-123-0000@sip.carrier.example"));
        assertThat(ok.trunk()).isEqualTo("carrier");
        assertThat(guard.activeCalls("carrier"))
                .as("refusals took neither a slot nor a start")
                .isEqualTo(1);
    }

    @Test
    void theNPlusFirstCallIsRefusedWhileNAreUpAndAdmittedOnceOneEnds() {
        OutboundGuard guard = guard(new OutboundLimits(2, 0, null));
        OutboundGuard.Admitted first = admitted(guard.admit("carrier", "sip:+1@h"));
        admitted(guard.admit("carrier", "sip:+2@h"));

        OutboundRefusal refusal = refused(guard.admit("carrier", "sip:+3@h"));
        assertThat(refusal).isEqualTo(new OutboundRefusal.TooManyCalls("carrier", 2));
        assertThat(refusal.httpStatus()).isEqualTo(429);
        assertThat(refusal.retryAfter()).isNull();

        first.release();
        first.release(); // a second release must not free a slot another call holds
        assertThat(guard.activeCalls("carrier")).isEqualTo(1);
        admitted(guard.admit("carrier", "sip:+3@h"));
        refused(guard.admit("carrier", "sip:+4@h"));
        assertThat(guard.refused("carrier", "concurrent")).isEqualTo(2);
        assertThat(guard.activeCalls("open")).as("other trunks are not counted").isZero();
    }

    @Test
    void pastMCallsInAMinuteTheNextIsRefusedWithWhenToRetry() {
        OutboundGuard guard = guard(new OutboundLimits(0, 2, null));
        admitted(guard.admit("carrier", "sip:+1@h")).release();
        clock.advance(Duration.ofSeconds(20));
        admitted(guard.admit("carrier", "sip:+1@h")).release();
        clock.advance(Duration.ofSeconds(10));

        OutboundRefusal refusal = refused(guard.admit("carrier", "sip:+1@h"));
        assertThat(refusal).isEqualTo(new OutboundRefusal.TooManyCallsPerMinute("carrier", 2, Duration.ofSeconds(30)));
        assertThat(refusal.detail())
                .isEqualTo("trunk carrier started 2 calls in the last 60 s, its max_calls_per_minute: try again in"
                        + " 30 s");
        clock.advance(Duration.ofSeconds(30));
        admitted(guard.admit("carrier", "sip:+1@h"));
        assertThat(guard.refused("carrier", "rate")).isEqualTo(1);
    }

    @Test
    void aCallRefusedForConcurrencyDoesNotUseTheMinute() {
        OutboundGuard guard = guard(new OutboundLimits(1, 2, null));
        OutboundGuard.Admitted up = admitted(guard.admit("carrier", "sip:+1@h"));
        for (int i = 0; i < 5; i++) {
            refused(guard.admit("carrier", "sip:+1@h"));
        }
        up.release();
        admitted(guard.admit("carrier", "sip:+1@h")).release();
        assertThat(refused(guard.admit("carrier", "sip:+1@h")).label()).isEqualTo("rate");
        assertThat(guard.refused("carrier", "concurrent")).isEqualTo(5);
    }

    @Test
    void aSipUriAtATrunksHostOrProxyCountsAgainstThatTrunk() {
        OutboundGuard guard = guard(new OutboundLimits(1, 0, List.of("+1")));
        assertThat(refused(guard.admit(null, "sip:+4930123456@SIP.carrier.example:5060"))
                        .trunk())
                .isEqualTo("carrier");
        assertThat(refused(guard.admit(null, "sip:+4930123456@proxy.carrier.example;transport=tcp"))
                        .label())
                .isEqualTo("prefix");
        OutboundGuard.Admitted byHost = admitted(guard.admit(null, "sip:+15551230000@sip.carrier.example"));
        assertThat(byHost.trunk()).isEqualTo("carrier");
        assertThat(refused(guard.admit("carrier", "sip:+15551230001@sip.carrier.example"))
                        .label())
                .isEqualTo("concurrent");

        OutboundGuard.Admitted elsewhere = admitted(guard.admit(null, "sip:+4930123456@192.0.2.99"));
        assertThat(elsewhere.trunk()).as("not a trunk's host: no trunk, no cap").isNull();
        assertThat(admitted(guard.admit("open", "sip:+88212345@192.0.2.20")).trunk())
                .isEqualTo("open");
        assertThat(admitted(guard.admit("unknown", "sip:+4930123456@h")).trunk())
                .isNull();
        assertThat(guard.unrestrictedTrunks()).containsExactly("open");
        assertThat(guard.trunkNames()).containsExactly("carrier", "open");
    }

    @Test
    void concurrentPlacersNeverExceedTheCapAndEverySlotComesBack() throws Exception {
        OutboundGuard guard = guard(new OutboundLimits(5, 0, null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger up = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger admittedCount = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    if (guard.admit("carrier", "sip:+1@h") instanceof OutboundGuard.Admitted a) {
                        admittedCount.incrementAndGet();
                        most.accumulateAndGet(up.incrementAndGet(), Math::max);
                        up.decrementAndGet();
                        a.release();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(most.get()).isBetween(1, 5);
        assertThat(admittedCount.get() + guard.refused("carrier", "concurrent")).isEqualTo(16_000);
        assertThat(guard.activeCalls("carrier")).isZero();
    }
}
