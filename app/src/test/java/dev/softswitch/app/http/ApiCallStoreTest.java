package dev.softswitch.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.DialStatus.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiCallStoreTest {

    private final TestClock clock = new TestClock();

    private ApiCallStore.ApiCall call(String id, Phase phase) {
        DialStatus status = new DialStatus(id, phase, null, 0, "", clock.instant(), null, null);
        PlacedCall placed = new PlacedCall() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public DialStatus status() {
                return status;
            }

            @Override
            public void hangUp() {}
        };
        return new ApiCallStore.ApiCall("sip:x@127.0.0.1", null, "echo", placed);
    }

    @Test
    void endedCallsAreKeptUpToTheBound() {
        ApiCallStore store = new ApiCallStore(clock, 3, Duration.ofHours(1));
        for (int i = 1; i <= 5; i++) {
            store.add(call("c" + i, Phase.ENDED));
            store.retire("c" + i);
        }
        store.add(call("active", Phase.RINGING));

        assertThat(store.size()).isEqualTo(4);
        assertThat(store.find("c1")).isEmpty();
        assertThat(store.find("c2")).isEmpty();
        assertThat(store.find("c3")).isPresent();
        assertThat(store.find("active")).isPresent();
        assertThat(store.active()).extracting(ApiCallStore.ApiCall::id).containsExactly("active");
    }

    @Test
    void endedCallsGoAfterTheirTimeButActiveOnesStay() {
        ApiCallStore store = new ApiCallStore(clock, 100, Duration.ofHours(1));
        store.add(call("long", Phase.ANSWERED));
        store.add(call("old", Phase.ENDED));
        store.retire("old");
        clock.advance(Duration.ofMinutes(30));
        store.add(call("newer", Phase.ENDED));
        store.retire("newer");

        clock.advance(Duration.ofMinutes(31));
        assertThat(store.find("old")).isEmpty();
        assertThat(store.find("newer")).isPresent();
        assertThat(store.find("long")).isPresent();
    }

    @Test
    void aCallRetiredBeforeItIsAddedIsStillKeptAndEvicted() {
        ApiCallStore store = new ApiCallStore(clock, 100, Duration.ofHours(1));
        store.retire("fast");
        store.add(call("fast", Phase.ENDED));
        assertThat(store.find("fast")).isPresent();
        clock.advance(Duration.ofHours(2));
        assertThat(store.find("fast")).isEmpty();
        assertThat(store.size()).isZero();
    }
}
