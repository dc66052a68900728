package dev.softswitch.sip.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 10.3 steps 6-8, as a user agent sees them in the 200 (or the refusal). */
class RegistrarTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final Registrar registrar = new Registrar();

    @Test
    void aContactIsBoundUntilItExpires() {
        Registrar.Result r = registrar.register(
                "alice", List.of(new ContactRequest("sip:alice@10.0.0.5:5060", 120)), false, -1, "c1", 1, T0);
        assertThat(r).isInstanceOf(Registrar.Result.Updated.class);
        assertThat(registrar.bindings("alice", T0.plusSeconds(119)))
                .extracting(Binding::contact)
                .containsExactly("sip:alice@10.0.0.5:5060");
        assertThat(registrar.bindings("alice", T0.plusSeconds(120))).isEmpty();
        assertThat(registrar.size()).isZero();
    }

    @Test
    void expiryComesFromTheContactThenTheHeaderThenTheDefaultAndIsCapped() {
        registrar.register("a", List.of(new ContactRequest("sip:a@h1", -1)), false, 300, "c", 1, T0);
        registrar.register("b", List.of(new ContactRequest("sip:b@h1", -1)), false, -1, "c", 1, T0);
        registrar.register("c", List.of(new ContactRequest("sip:c@h1", 86400)), false, -1, "c", 1, T0);
        assertThat(registrar.bindings("a", T0).getFirst().secondsLeft(T0)).isEqualTo(300);
        assertThat(registrar.bindings("b", T0).getFirst().secondsLeft(T0)).isEqualTo(Registrar.DEFAULT_EXPIRES);
        assertThat(registrar.bindings("c", T0).getFirst().secondsLeft(T0)).isEqualTo(Registrar.MAX_EXPIRES);
    }

    @Test
    void tooShortAnExpiryIsRefusedWith423AndTheMinimum() {
        assertThat(registrar.register("a", List.of(new ContactRequest("sip:a@h", 30)), false, -1, "c", 1, T0))
                .isEqualTo(new Registrar.Result.IntervalTooBrief(60));
        assertThat(registrar.bindings("a", T0)).isEmpty();
    }

    @Test
    void expiresZeroRemovesOneContactAndTheWildcardRemovesAll() {
        registrar.register(
                "a",
                List.of(new ContactRequest("sip:a@h1", 600), new ContactRequest("sip:a@h2", 600)),
                false,
                -1,
                "c",
                1,
                T0);
        registrar.register("a", List.of(new ContactRequest("sip:a@h1", 0)), false, -1, "c", 2, T0);
        assertThat(registrar.bindings("a", T0)).extracting(Binding::contact).containsExactly("sip:a@h2");
        assertThat(registrar.register("a", List.of(), true, 0, "c", 3, T0))
                .isEqualTo(new Registrar.Result.Updated(List.of()));
        assertThat(registrar.bindings("a", T0)).isEmpty();
    }

    @Test
    void theWildcardMustStandAloneWithExpiresZero() {
        assertThat(registrar.register("a", List.of(), true, 3600, "c", 1, T0))
                .isInstanceOf(Registrar.Result.Invalid.class);
        assertThat(registrar.register("a", List.of(new ContactRequest("sip:a@h", 0)), true, 0, "c", 1, T0))
                .isInstanceOf(Registrar.Result.Invalid.class);
    }

    @Test
    void anOlderRegistrationOfTheSameCallIdIsRefused() {
        registrar.register("a", List.of(new ContactRequest("sip:a@h", 600)), false, -1, "c", 5, T0);
        assertThat(registrar.register("a", List.of(new ContactRequest("sip:a@h", 900)), false, -1, "c", 5, T0))
                .isEqualTo(new Registrar.Result.OutOfOrder());
        assertThat(registrar.register("a", List.of(new ContactRequest("sip:a@h", 900)), false, -1, "other", 1, T0))
                .isInstanceOf(Registrar.Result.Updated.class);
    }

    @Test
    void anEmptyRegisterIsAQueryThatListsTheBindings() {
        registrar.register("a", List.of(new ContactRequest("sip:a@h", 600)), false, -1, "c", 1, T0);
        Registrar.Result r = registrar.register("a", List.of(), false, -1, "c", 2, T0);
        assertThat(((Registrar.Result.Updated) r).bindings()).hasSize(1);
    }

    @Test
    void bindingsPerAddressAreBounded() {
        for (int i = 0; i < 15; i++) {
            registrar.register("a", List.of(new ContactRequest("sip:a@h" + i, 100 + i)), false, -1, "c" + i, 1, T0);
        }
        assertThat(registrar.bindings("a", T0))
                .hasSize(Registrar.MAX_BINDINGS_PER_AOR)
                .extracting(Binding::contact)
                .doesNotContain("sip:a@h0");
    }
}
