package dev.softswitch.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SrvRouterTest {

    @Test
    void theLowestPriorityWinsAndTheTrailingDotGoes() {
        assertThat(SrvRouter.choose(
                        List.of("20 100 5060 backup.carrier.example.", "10 0 5080 sip1.carrier.example."),
                        new Random(1)))
                .contains(new SrvRouter.Target("sip1.carrier.example", 5080));
    }

    @Test
    void amongEqualPrioritiesTheWeightsShareTheCalls() {
        Random random = new Random(42);
        int heavy = 0;
        for (int i = 0; i < 10_000; i++) {
            String host = SrvRouter.choose(List.of("10 90 5060 a.example.", "10 10 5060 b.example."), random)
                    .orElseThrow()
                    .host();
            heavy += host.equals("a.example") ? 1 : 0;
        }
        assertThat(heavy).isBetween(8700, 9300);
    }

    @Test
    void brokenRecordsAndNoServiceAreSkipped() {
        assertThat(SrvRouter.choose(List.of(), new Random())).isEmpty();
        assertThat(SrvRouter.choose(List.of("0 0 0 .", "x y z w", "1 1 70000 a.example.", "1 2 3"), new Random()))
                .isEmpty();
    }

    @Test
    void onlyDnsNamesAreLookedUp() {
        assertThat(SrvRouter.isName("sip.carrier.example")).isTrue();
        assertThat(SrvRouter.isName("192.0.2.10")).isFalse();
        assertThat(SrvRouter.isName("[2001:db8::1]")).isFalse();
        assertThat(SrvRouter.isName("2001:db8::1")).isFalse();
        assertThat(SrvRouter.isName("localhost")).isFalse();
    }
}
