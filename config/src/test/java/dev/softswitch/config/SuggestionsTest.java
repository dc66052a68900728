package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    static final List<String> KEYS = List.of("bind", "advertise", "sip_port", "transports", "http_port");

    @Test
    void findsTheNearMiss() {
        assertThat(Suggestions.closest("sip_prot", KEYS)).contains("sip_port");
        assertThat(Suggestions.closest("advertize", KEYS)).contains("advertise");
        assertThat(Suggestions.closest("transport", KEYS)).contains("transports");
        assertThat(Suggestions.closest("BIND", KEYS)).contains("bind");
    }

    @Test
    void suggestsNothingFarOff() {
        assertThat(Suggestions.closest("database", KEYS)).isEmpty();
        assertThat(Suggestions.closest("port", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x", List.of())).isEmpty();
    }
}
