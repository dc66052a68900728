package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code trunks[].outbound}'s toll-fraud caps: {@code max_concurrent_calls}, {@code max_calls_per_minute},
 * {@code allowed_prefixes}; what they read as, their defaults, and every mistake named with its line and field.
 */
class OutboundLimitsConfigTest {

    private static OutboundTrunk outbound(String yaml) throws ConfigException {
        LoadedConfig loaded = ConfigLoader.parse(
                ConfigErrorsTest.ASSISTANT + yaml,
                Path.of("softswitch.yaml"),
                SecretResolver.withEnvironment(java.util.Map.of()));
        assertThat(loaded.warnings()).isEmpty();
        OutboundTrunk outbound = loaded.config().trunks().get(0).outbound();
        assertThat(outbound).isNotNull();
        return outbound;
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        ConfigErrorsTest.ASSISTANT + yaml,
                        Path.of("softswitch.yaml"),
                        SecretResolver.withEnvironment(java.util.Map.of())));
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void theCapsAreReadAsWritten() throws Exception {
        OutboundTrunk outbound = outbound("""
                trunks:
                  - name: carrier
                    outbound:
                      host: sip.carrier.example
                      max_concurrent_calls: 10
                      max_calls_per_minute: 30
                      allowed_prefixes: ["+1", +44, "1800", "*67", "+1"]
                """);
        assertThat(outbound.limits())
                .as("a repeated prefix is kept once")
                .isEqualTo(new OutboundLimits(10, 30, List.of("+1", "+44", "1800", "*67")));
        assertThat(outbound.limits().limitsAnything()).isTrue();
    }

    @Test
    void withoutTheKeysNothingIsCappedAsBefore() throws Exception {
        OutboundTrunk outbound = outbound("trunks:\n  - name: carrier\n    outbound: {host: 192.0.2.1}\n");
        assertThat(outbound.limits()).isEqualTo(OutboundLimits.NONE);
        assertThat(outbound.limits().limitsAnything()).isFalse();
        assertThat(outbound.limits().allows("+882123456789")).isTrue();
        assertThat(outbound.limits().allows(null))
                .as("not a number, and no allow-list")
                .isTrue();
        assertThat(outbound).isEqualTo(OutboundTrunk.to("192.0.2.1"));
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        OutboundTrunk outbound = outbound("""
                trunks:
                  - name: carrier
                    outbound: {host: 192.0.2.1, max_concurrent_calls: 0, max_calls_per_minute: 0}
                """);
        assertThat(outbound.limits()).isEqualTo(OutboundLimits.NONE);
    }

    @Test
    void wrongValuesAreNamedWithTheirLineAndField() {
        assertThat(errors("""
                        trunks:
                          - name: carrier
                            outbound:
                              host: 192.0.2.1
                              max_concurrent_calls: -1
                              max_calls_per_minute: ten
                              allowed_prefixes: ["+1", "+44 20", "", 1-800, "+1x"]
                          - name: other
                            outbound:
                              host: 192.0.2.2
                              allowed_prefixes: []
                          - name: third
                            outbound:
                              host: 192.0.2.3
                              allowed_prefixes:
                          - name: fourth
                            outbound:
                              host: 192.0.2.4
                              allowed_prefixes: "+1"
                              max_calls_per_minut: 3
                        """))
                .containsExactly(
                        "softswitch.yaml:8:29: trunks[0].outbound.max_concurrent_calls: -1 is not a limit (0 for none,"
                                + " or more)",
                        "softswitch.yaml:9:29: trunks[0].outbound.max_calls_per_minute: expected a whole number, got \"ten\"",
                        "softswitch.yaml:10:32: trunks[0].outbound.allowed_prefixes[1]: \"+44 20\" is not a number"
                                + " prefix (digits (and * #) with an optional leading +, no spaces or separators);"
                                + " numbers are matched as the dial plan writes them, such as +15551230000",
                        "softswitch.yaml:10:42: trunks[0].outbound.allowed_prefixes[2]: an empty prefix would allow"
                                + " every number: list the prefixes calls may go to, such as [\"+1\", \"+44\"], or"
                                + " leave the key out to allow every number",
                        "softswitch.yaml:10:46: trunks[0].outbound.allowed_prefixes[3]: \"1-800\" is not a number"
                                + " prefix (digits (and * #) with an optional leading +, no spaces or separators);"
                                + " numbers are matched as the dial plan writes them, such as +15551230000",
                        "softswitch.yaml:10:53: trunks[0].outbound.allowed_prefixes[4]: \"+1x\" is not a number"
                                + " prefix (digits (and * #) with an optional leading +, no spaces or separators);"
                                + " numbers are matched as the dial plan writes them, such as +15551230000",
                        "softswitch.yaml:14:25: trunks[1].outbound.allowed_prefixes: an empty list would allow no"
                                + " number: list the prefixes calls may go to, such as [\"+1\", \"+44\"], or leave"
                                + " the key out to allow every number",
                        "softswitch.yaml:18:24: trunks[2].outbound.allowed_prefixes: empty: list the prefixes calls may"
                                + " go to, such as [\"+1\", \"+44\"], or leave the key out to allow every number",
                        "softswitch.yaml:22:25: trunks[3].outbound.allowed_prefixes: expected a list, got \"+1\"",
                        "softswitch.yaml:23:7: trunks[3].outbound.max_calls_per_minut: unknown key"
                                + " \"max_calls_per_minut\" (did you mean \"max_calls_per_minute\"?)");
    }

    @Test
    void aNumberIsAllowedWhenItStartsWithAPrefixCharacterForCharacter() {
        OutboundLimits limits = new OutboundLimits(0, 0, List.of("+1", "+44", "0800"));
        assertThat(limits.allows("+15551230000")).isTrue();
        assertThat(limits.allows("+442071234567")).isTrue();
        assertThat(limits.allows("08001234567")).isTrue();
        assertThat(limits.allows("15551230000")).as("the + counts").isFalse();
        assertThat(limits.allows("00442071234567"))
                .as("an international prefix is another form")
                .isFalse();
        assertThat(limits.allows("+4930123456")).isFalse();
        assertThat(limits.allows("+")).isFalse();
        assertThat(limits.allows(null)).as("a SIP user that is no number").isFalse();
        assertThat(new OutboundLimits(0, 0, List.of("+")).allows("+882123")).isTrue();
        assertThat(new OutboundLimits(0, 0, List.of("+")).allows("882123")).isFalse();
    }

    @Test
    void theRecordRefusesWhatTheReaderWouldReport() {
        assertThatThrownBy(() -> new OutboundLimits(-1, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundLimits(0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundLimits(0, 0, List.of("+1 555")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundLimits(0, 0, List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
