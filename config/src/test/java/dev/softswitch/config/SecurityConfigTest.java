package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code security:}: every key read, the defaults when absent, and every mistake named with its line and field. */
class SecurityConfigTest {

    private static SecurityConfig load(String security) throws ConfigException {
        return ConfigLoader.parse(
                        ConfigErrorsTest.ASSISTANT + security,
                        Path.of("softswitch.yaml"),
                        SecretResolver.withEnvironment(Map.of()))
                .config()
                .security();
    }

    @Test
    void noSectionMeansTheDefaults() throws Exception {
        assertThat(load("")).isEqualTo(SecurityConfig.DEFAULTS);
        assertThat(load("security:\n")).isEqualTo(SecurityConfig.DEFAULTS);
        SecurityConfig d = SecurityConfig.DEFAULTS;
        assertThat(d.maxMessageBytes()).isEqualTo(16384);
        assertThat(d.requestsPerSecond()).isEqualTo(50);
        assertThat(d.requestBurst()).isEqualTo(100);
        assertThat(d.maxAuthFailures()).isEqualTo(5);
        assertThat(d.banTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.hidden()).isFalse();
        assertThat(d.exempts(InetAddress.getLoopbackAddress())).isTrue();
        assertThat(d.isScanner("friendly-scanner")).isTrue();
    }

    @Test
    void readsEveryKey() throws Exception {
        SecurityConfig s = load("""
                security:
                  max_message_bytes: 8192
                  requests_per_second: 20
                  request_burst: 40
                  max_auth_failures: 3
                  auth_failure_window: 5m
                  ban_time: 1h
                  scanner_user_agents: [friendly-scanner, "My Bad Bot"]
                  hidden: true
                  exempt: [198.51.100.0/24, "2001:db8::/32"]
                  digest_algorithms: [md5]
                """);
        assertThat(s)
                .isEqualTo(new SecurityConfig(
                        8192,
                        20,
                        40,
                        3,
                        Duration.ofMinutes(5),
                        Duration.ofHours(1),
                        List.of("friendly-scanner", "my bad bot"),
                        true,
                        List.of(CidrNetwork.parse("198.51.100.0/24"), CidrNetwork.parse("2001:db8::/32")),
                        List.of("MD5")));
        assertThat(s.isScanner("MY BAD BOT 1.0")).isTrue();
        assertThat(s.exempts(InetAddress.getLoopbackAddress()))
                .as("naming exemptions replaces the default")
                .isFalse();
    }

    @Test
    void emptyListsTurnThingsOffAndZeroTurnsLimitsOff() throws Exception {
        SecurityConfig s = load("""
                security:
                  requests_per_second: 0
                  max_auth_failures: 0
                  scanner_user_agents: []
                  exempt: []
                """);
        assertThat(s.requestsPerSecond()).isZero();
        assertThat(s.maxAuthFailures()).isZero();
        assertThat(s.scannerUserAgents()).isEmpty();
        assertThat(s.exempt()).isEmpty();
    }

    @Test
    void theBurstFollowsTheRateWhenNotGiven() throws Exception {
        assertThat(load("security: {requests_per_second: 200}\n").requestBurst())
                .isEqualTo(400);
    }

    @Test
    void mistakesAreNamedWithLineAndField() {
        assertThat(ConfigErrorsTest.errors(ConfigErrorsTest.ASSISTANT + """
                        security:
                          max_message_bytes: 100
                          requests_per_second: -1
                          request_burst: 5
                          ban_time: forever
                          scanner_user_agents: [""]
                          hidden: yes please
                          exempt: [10.0.0.1/8]
                          digest_algorithms: [SHA-256, SHA-512, sha-256]
                          rate: 5
                        """))
                .containsExactlyInAnyOrder(
                        "softswitch.yaml:5:22: security.max_message_bytes: 100 is not a message size (1024-65535"
                                + " bytes)",
                        "softswitch.yaml:6:24: security.requests_per_second: -1 is not a limit (0 for none, or more)",
                        "softswitch.yaml:8:13: security.ban_time: \"forever\" is not a duration (write a whole number"
                                + " and a unit: 500ms, 30s, 5m or 1h)",
                        "softswitch.yaml:9:25: security.scanner_user_agents[0]: expected text, got nothing",
                        "softswitch.yaml:10:11: security.hidden: expected true or false, got \"yes please\"",
                        "softswitch.yaml:11:12: security.exempt[0]: \"10.0.0.1/8\" is not a CIDR network (host bits"
                                + " are set: the network is 10.0.0.0/8, or write 10.0.0.1 alone for the one address)",
                        "softswitch.yaml:12:32: security.digest_algorithms[1]: 'SHA-512' is not a digest algorithm we"
                                + " know (MD5, SHA-256)",
                        "softswitch.yaml:12:41: security.digest_algorithms[2]: SHA-256 is listed twice",
                        "softswitch.yaml:13:3: security.rate: unknown key \"rate\" (known keys: max_message_bytes,"
                                + " requests_per_second, request_burst, max_auth_failures, auth_failure_window,"
                                + " ban_time, scanner_user_agents, hidden, exempt, digest_algorithms)");
    }

    @Test
    void anEmptyListOfDigestAlgorithmsIsAMistake() {
        assertThat(ConfigErrorsTest.errors(ConfigErrorsTest.ASSISTANT + """
                        security:
                          digest_algorithms: []
                        """))
                .containsExactly(
                        "softswitch.yaml:5:22: security.digest_algorithms: empty: no caller could authenticate");
    }
}
