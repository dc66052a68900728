package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "300s, PT5M", "0s, PT0S"})
    void readsAWholeNumberAndAUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1.5s", "-1s", "30 sec", "5M", "1d", "s", "", "9999999999s"})
    void rejectsAnythingElse(String text) {
        assertThat(Durations.parse(text)).isNull();
    }
}
