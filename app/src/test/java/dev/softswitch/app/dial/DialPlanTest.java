package dev.softswitch.app.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.SecretResolver;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.sip.DialRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialPlanTest {

    private static final Duration RING = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private DialPlan plan;

    @BeforeEach
    void load() throws Exception {
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, """
                assistants:
                  - id: sales
                    kind: echo
                trunks:
                  - name: carrier
                    outbound:
                      host: sip.carrier.example
                      username: acme
                      password: ${env:PW}
                      caller_id: "+15550001111"
                      proxy: "[2001:db8::1]:5070"
                  - name: tcp-pbx
                    outbound:
                      host: 192.0.2.7
                      port: 5080
                      transport: tcp
                  - name: inbound-only
                    networks: [192.0.2.0/24]
                    routes:
                      default: sales
                """);
        SoftswitchConfig config = ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of("PW", "pw")))
                .config();
        plan = new DialPlan(config, Set.of("sales")::contains);
    }

    @Test
    void aNumberGoesToTheTrunksHostFromItsCallerIdWithItsCredentialsThroughItsProxy() throws Exception {
        DialRequest request = plan.plan("+1 (555) 123-0000", "carrier", "sales", null, Map.of("k", "v"), RING, MAX);
        assertThat(request.requestUri()).isEqualTo("sip:+15551230000@sip.carrier.example");
        assertThat(request.proxy()).isEqualTo("[2001:db8::1]:5070");
        assertThat(request.fromUser()).isEqualTo("+15550001111");
        assertThat(request.credentials()).isNotNull();
        assertThat(request.credentials().username()).isEqualTo("acme");
        assertThat(request.trunk()).isEqualTo("carrier");
        assertThat(request.variables()).containsEntry("k", "v");
    }

    @Test
    void aTcpTrunkWithAPortPutsBothInTheUri() throws Exception {
        DialRequest request = plan.plan("100", "tcp-pbx", "sales", "ops", Map.of(), RING, MAX);
        assertThat(request.requestUri()).isEqualTo("sip:100@192.0.2.7:5080;transport=tcp");
        assertThat(request.transport()).isEqualTo("tcp");
        assertThat(request.fromUser()).isEqualTo("ops");
        assertThat(request.credentials()).isNull();
    }

    @Test
    void aSipUriIsDialledDirectly() throws Exception {
        DialRequest request = plan.plan("sip:alice@192.0.2.10:5062", null, "sales", null, Map.of(), RING, MAX);
        assertThat(request.requestUri()).isEqualTo("sip:alice@192.0.2.10:5062");
        assertThat(request.trunk()).isNull();
        assertThat(request.fromUser()).isEqualTo(DialPlan.DEFAULT_FROM);
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                 | carrier      | sales   | to",
                "+15551230000       |              | sales   | to",
                "12ab               | carrier      | sales   | to",
                "sip:a b@host       |              | sales   | to",
                "+15551230000       | nowhere      | sales   | trunk",
                "+15551230000       | inbound-only | sales   | trunk",
                "+15551230000       | carrier      | nobody  | assistant",
                "+15551230000       | carrier      | ''      | assistant",
            })
    void badInputNamesItsField(String to, String trunk, String assistant, String field) {
        assertThatThrownBy(() -> plan.plan(to, trunk, assistant, null, Map.of(), RING, MAX))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aUriCannotSmuggleHeaders() {
        assertThatThrownBy(() -> plan.plan("sip:bob@host\r\nX-Evil: 1", null, "sales", null, Map.of(), RING, MAX))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> plan.plan("sip:bob@host?X-Evil=1", null, "sales", null, Map.of(), RING, MAX))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo("to"));
    }

    @Test
    void badFromAndTimesNameTheirFields() {
        assertThatThrownBy(() -> plan.plan("100", "carrier", "sales", "a b", Map.of(), RING, MAX))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> plan.plan("100", "carrier", "sales", null, Map.of(), Duration.ZERO, MAX))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo("ring_timeout"));
        assertThatThrownBy(() -> plan.plan("100", "carrier", "sales", null, Map.of(), RING, Duration.ofDays(2)))
                .isInstanceOfSatisfying(
                        DialPlan.InvalidDial.class, e -> assertThat(e.field()).isEqualTo("max_duration"));
    }

    @Test
    void withoutAConfigurationThereAreNoTrunks() {
        DialPlan bare = new DialPlan(null, "echo"::equals);
        assertThatThrownBy(() -> bare.plan("100", "carrier", "echo", null, Map.of(), RING, MAX))
                .isInstanceOfSatisfying(DialPlan.InvalidDial.class, e -> {
                    assertThat(e.field()).isEqualTo("trunk");
                    assertThat(e.getMessage()).contains("--config");
                });
    }
}
