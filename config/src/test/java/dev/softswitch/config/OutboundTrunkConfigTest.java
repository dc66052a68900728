package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code trunks[].outbound}: how calls go out through a trunk, its defaults, and every mistake named. */
class OutboundTrunkConfigTest {

    private static final SecretResolver ENV = SecretResolver.withEnvironment(
            Map.of("CARRIER_OUTBOUND_PASSWORD", "outbound-pw-value", "SUPPORT_API_KEY", "sk-test-0123456789"));

    private static LoadedConfig load(String trunks) throws ConfigException {
        return ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + trunks, Path.of("softswitch.yaml"), ENV);
    }

    private static TrunkConfig trunk(String trunks) throws ConfigException {
        return load(trunks).config().trunks().get(0);
    }

    private static OutboundTrunk outbound(String outbound) throws ConfigException {
        OutboundTrunk read = trunk("trunks:\n  - name: carrier\n    outbound: " + outbound + "\n")
                .outbound();
        assertThat(read).isNotNull();
        return read;
    }

    private static ConfigException invalid(String trunks) {
        return catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse(ConfigErrorsTest.ASSISTANT + trunks, Path.of("softswitch.yaml"), ENV));
    }

    private static List<String> errors(String trunks) {
        ConfigException e = invalid(trunks);
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void aTrunkWithEverySetting() throws Exception {
        LoadedConfig loaded = load("""
                trunks:
                  - name: carrier
                    networks: [198.51.100.0/24]
                    routes: {default: support}
                    outbound:
                      host: sip.carrier.example
                      port: 5080
                      transport: TCP
                      username: acme
                      password: ${env:CARRIER_OUTBOUND_PASSWORD}
                      caller_id: +15551230000
                      proxy: proxy.carrier.example:5070
                      register: true
                      register_expires: 10m
                """);
        TrunkConfig trunk = loaded.config().trunk("carrier").orElseThrow();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(trunk.routes()).containsExactly(Map.entry("default", "support"));
        assertThat(trunk.outbound())
                .isEqualTo(new OutboundTrunk(
                        "sip.carrier.example",
                        5080,
                        "tcp",
                        new DigestCredentials("acme", Secret.of("outbound-pw-value")),
                        "+15551230000",
                        "proxy.carrier.example",
                        5070,
                        true,
                        Duration.ofMinutes(10)));
        assertThat(trunk.outbound().fromUser()).isEqualTo("+15551230000");
        assertThat(trunk.outbound().credentials().password().origin()).isEqualTo("${env:CARRIER_OUTBOUND_PASSWORD}");
        assertThat(loaded.vault()
                        .get(CredentialVault.trunkOutboundPassword("carrier"))
                        .reveal())
                .isEqualTo("outbound-pw-value");
        assertThat(loaded.vault().keys()).containsExactly("trunk:carrier:outbound_password");
        assertThat(loaded.toString()).contains("password=***").doesNotContain("outbound-pw-value");
    }

    @Test
    void onlyTheHostIsRequired() throws Exception {
        OutboundTrunk outbound = outbound("{host: 192.0.2.1}");

        assertThat(outbound).isEqualTo(OutboundTrunk.to("192.0.2.1"));
        assertThat(outbound.port()).isNull();
        assertThat(outbound.transport()).isEqualTo("udp");
        assertThat(outbound.credentials()).isNull();
        assertThat(outbound.callerId()).isNull();
        assertThat(outbound.fromUser()).isNull();
        assertThat(outbound.proxyHost()).isNull();
        assertThat(outbound.proxyPort()).isNull();
        assertThat(outbound.register()).isFalse();
        assertThat(outbound.registerExpires()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aTrunkWeOnlyCallOutThroughNeedsNoNetworksCredentialsOrRoutes() throws Exception {
        TrunkConfig trunk = trunk("""
                trunks:
                  - name: carrier
                    outbound: {host: sip.carrier.example, username: acme, password: "${env:CARRIER_OUTBOUND_PASSWORD}"}
                  - name: other
                    routes: {}
                    outbound: {host: sip.other.example}
                """);

        assertThat(trunk.networks()).isEmpty();
        assertThat(trunk.credentials()).isNull();
        assertThat(trunk.routes()).isEmpty();
        assertThat(trunk.assistantFor("+15551230000")).isEmpty();
        assertThat(trunk.allows(InetAddress.getByName("198.51.100.1"))).isFalse();
        assertThat(trunk.outbound().fromUser()).isEqualTo("acme");
    }

    @Test
    void withoutOutboundATrunkStillNeedsNetworksOrCredentialsAndRoutes() throws Exception {
        assertThat(errors("""
                        trunks:
                          - name: carrier
                          - name: other
                            networks: [198.51.100.0/24]
                            routes: {}
                        """))
                .containsExactly(
                        "softswitch.yaml:5:5: trunks[0].networks: required: the source networks this trunk calls from"
                                + " (or username and password, or both)",
                        "softswitch.yaml:5:5: trunks[0].routes: required: which assistant answers which dialled number"
                                + " (\"default\" for any other number)",
                        "softswitch.yaml:8:13: trunks[1].routes: at least one route is needed (\"default\" for any"
                                + " number)");
        assertThat(trunk("trunks:\n  - {name: carrier, networks: [192.0.2.1], routes: {default: support}}\n")
                        .outbound())
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sip.carrier.example   | sip.carrier.example",
                "carrier.example.      | carrier.example.",
                "192.0.2.10            | 192.0.2.10",
                "'\"2001:db8::10\"'    | 2001:db8::10",
                "'\"[2001:db8::10]\"'  | 2001:db8::10"
            })
    void theHostIsANameOrAnAddress(String written, String host) throws Exception {
        assertThat(outbound("{host: " + written + "}").host()).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "proxy.carrier.example        | proxy.carrier.example | none",
                "proxy.carrier.example:5070   | proxy.carrier.example | 5070",
                "192.0.2.7                    | 192.0.2.7             | none",
                "192.0.2.7:5062               | 192.0.2.7             | 5062",
                "[2001:db8::7]                | 2001:db8::7           | none",
                "[2001:db8::7]:5062           | 2001:db8::7           | 5062"
            })
    void theProxyIsAHostAndMaybeAPort(String written, String host, @Nullable Integer port) throws Exception {
        OutboundTrunk outbound = outbound("{host: sip.carrier.example, proxy: \"" + written + "\"}");
        assertThat(outbound.proxyHost()).isEqualTo(host);
        assertThat(outbound.proxyPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15551230000", "alice.smith", "%2B15551230000", "a;b=c", "-_.!~*'()&=+$,;?/"})
    void aCallerIdIsASipUserPart(String callerId) throws Exception {
        OutboundTrunk outbound = outbound("{host: sip.carrier.example, caller_id: \"" + callerId + "\"}");
        assertThat(outbound.callerId()).isEqualTo(callerId);
        assertThat(outbound.fromUser()).isEqualTo(callerId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 555 123", "alice@carrier", "%zz", "caf\u00e9", "<sip:x>"})
    void anythingElseIsNotACallerId(String callerId) {
        assertThat(errors("trunks:\n  - name: carrier\n    outbound: {host: h, caller_id: \"" + callerId + "\"}\n"))
                .containsExactly("softswitch.yaml:6:36: trunks[0].outbound.caller_id: \"" + callerId
                        + "\" is not a SIP user part (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes)");
    }

    @Test
    void fromUserIsTheCallerIdElseTheUsernameElseNone() {
        DigestCredentials acme = new DigestCredentials("acme", Secret.of("pw"));
        OutboundTrunk base = OutboundTrunk.to("sip.carrier.example");

        assertThat(withCredentials(base, acme, "+15551230000").fromUser()).isEqualTo("+15551230000");
        assertThat(withCredentials(base, acme, null).fromUser()).isEqualTo("acme");
        assertThat(withCredentials(base, null, "+15551230000").fromUser()).isEqualTo("+15551230000");
        assertThat(base.fromUser()).isNull();
    }

    private static OutboundTrunk withCredentials(
            OutboundTrunk base, @Nullable DigestCredentials credentials, @Nullable String callerId) {
        return new OutboundTrunk(
                base.host(),
                base.port(),
                base.transport(),
                credentials,
                callerId,
                base.proxyHost(),
                base.proxyPort(),
                base.register(),
                base.registerExpires());
    }

    @Test
    void aRegisteringTrunkNeedsItsCredentials() {
        assertThat(errors("""
                        trunks:
                          - name: carrier
                            outbound:
                              host: sip.carrier.example
                              register: true
                          - name: other
                            outbound:
                              host: sip.other.example
                              username: acme
                              register: true
                        """))
                .containsExactly(
                        "softswitch.yaml:8:17: trunks[0].outbound.register: registering needs the digest credentials the"
                                + " carrier gave: add trunks[0].outbound.username and trunks[0].outbound.password",
                        "softswitch.yaml:12:17: trunks[1].outbound.username: a username needs a password: add"
                                + " trunks[1].outbound.password",
                        "softswitch.yaml:13:17: trunks[1].outbound.register: registering needs the digest credentials"
                                + " the carrier gave: add trunks[1].outbound.password");
    }

    @Test
    void registerExpiresIsAMinuteToADay() throws Exception {
        assertThat(errors("""
                        trunks:
                          - name: a
                            outbound: {host: h, register_expires: 59s}
                          - name: b
                            outbound: {host: h, register_expires: 25h}
                          - name: c
                            outbound: {host: h, register_expires: 3600}
                        """))
                .containsExactly(
                        "softswitch.yaml:6:43: trunks[0].outbound.register_expires: 59s is too short: give at least 60s",
                        "softswitch.yaml:8:43: trunks[1].outbound.register_expires: 25h is too long: give at most 24h",
                        "softswitch.yaml:10:43: trunks[2].outbound.register_expires: 3600 is not a duration (write a"
                                + " whole number and a unit: 500ms, 30s, 5m or 1h)");
        assertThat(outbound("{host: h, register_expires: 60s}").registerExpires())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(outbound("{host: h, register_expires: 24h}").registerExpires())
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void everyMistakeIsNamedWithItsLine() {
        assertThat(errors("""
                        trunks:
                          - name: a
                            outbound:
                              port: 99999
                              transport: wss
                              password: ${env:CARRIER_OUTBOUND_PASSWORD}
                              register: maybe
                              caller-id: "+1555"
                          - name: b
                            outbound:
                              host: sip.carrier.example:5060
                              transport: sctp
                              username: acme carrier
                              password: ${env:CARRIER_OUTBOUND_PASSWORD}
                              proxy: "2001:db8::7"
                          - name: c
                            outbound: {host: "0.0.0.0", proxy: "sip:proxy.example"}
                          - name: d
                            outbound: {host: "sip:carrier.example", proxy: "proxy.example:0"}
                          - name: e
                            outbound: {host: "carrier example", proxy: "proxy example:5060"}
                          - name: f
                            outbound: sip.carrier.example
                        """))
                .containsExactly(
                        "softswitch.yaml:7:7: trunks[0].outbound.host: required: the carrier's SIP host name or IP"
                                + " address, without a port",
                        "softswitch.yaml:7:13: trunks[0].outbound.port: 99999 is not a port (1-65535)",
                        "softswitch.yaml:8:18: trunks[0].outbound.transport: wss is not supported yet (supported: udp,"
                                + " tcp, tls)",
                        "softswitch.yaml:9:17: trunks[0].outbound.password: a password needs a username: add"
                                + " trunks[0].outbound.username",
                        "softswitch.yaml:10:17: trunks[0].outbound.register: expected true or false, got \"maybe\"",
                        "softswitch.yaml:11:7: trunks[0].outbound.caller-id: unknown key \"caller-id\" (did you mean"
                                + " \"caller_id\"?)",
                        "softswitch.yaml:14:13: trunks[1].outbound.host: \"sip.carrier.example:5060\" has a port: write"
                                + " the host alone and the port as trunks[1].outbound.port",
                        "softswitch.yaml:15:18: trunks[1].outbound.transport: unknown transport \"sctp\" (supported:"
                                + " udp, tcp, tls)",
                        "softswitch.yaml:16:17: trunks[1].outbound.username: \"acme carrier\" cannot be the From user of"
                                + " our calls (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes): set"
                                + " trunks[1].outbound.caller_id",
                        "softswitch.yaml:18:14: trunks[1].outbound.proxy: \"2001:db8::7\": write an IPv6 address in"
                                + " brackets, [ADDRESS] or [ADDRESS]:PORT",
                        "softswitch.yaml:20:22: trunks[2].outbound.host: \"0.0.0.0\" means every address: give the one"
                                + " the carrier takes calls on",
                        "softswitch.yaml:20:40: trunks[2].outbound.proxy: \"sip:proxy.example\": write the proxy without"
                                + " a scheme (write host, host:port or [IPv6]:port)",
                        "softswitch.yaml:22:22: trunks[3].outbound.host: \"sip:carrier.example\": write the host alone,"
                                + " without a scheme",
                        "softswitch.yaml:22:52: trunks[3].outbound.proxy: \"proxy.example:0\" has no valid port"
                                + " (1-65535)",
                        "softswitch.yaml:24:22: trunks[4].outbound.host: \"carrier example\" is not a host name or IP"
                                + " address",
                        "softswitch.yaml:24:48: trunks[4].outbound.proxy: \"proxy example:5060\" is not a host name or"
                                + " IP address (write host, host:port or [IPv6]:port)",
                        "softswitch.yaml:26:15: trunks[5].outbound: expected a mapping (host, port, transport, username,"
                                + " password, caller_id, proxy, register, register_expires, max_concurrent_calls,"
                                + " max_calls_per_minute, allowed_prefixes), got \"sip.carrier.example\"");
    }

    @Test
    void noMessageCarriesTheOutboundPassword() {
        ConfigException e = invalid("""
                trunks:
                  - name: carrier
                    outbound:
                      password: ${env:CARRIER_OUTBOUND_PASSWORD}
                      register: true
                  - name: other
                    outbound: {host: h, username: u, password: inline-outbound-secret, register_expires: 1s}
                """);
        assertThat(e.errors()).hasSize(4);
        assertThat(e.warnings()).hasSize(1);
        assertThat(e.getMessage() + e.warnings()).doesNotContain("outbound-pw-value", "inline-outbound-secret");
    }

    @Test
    void theRecordRefusesWhatTheFileCannotSay() {
        DigestCredentials acme = new DigestCredentials("acme", Secret.of("pw"));
        Duration hour = OutboundTrunk.DEFAULT_REGISTER_EXPIRES;
        assertThatThrownBy(() -> new OutboundTrunk("h", 0, "udp", null, null, null, null, false, hour))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port is 1-65535, not 0");
        assertThatThrownBy(() -> new OutboundTrunk("h", null, "wss", null, null, null, null, false, hour))
                .hasMessage("transport is udp, tcp or tls, not wss");
        assertThatThrownBy(() -> new OutboundTrunk("h", null, "udp", null, null, null, 5060, false, hour))
                .hasMessage("a proxy port needs a proxy host");
        assertThatThrownBy(() -> new OutboundTrunk("h", null, "udp", null, null, null, null, true, hour))
                .hasMessage("registering needs credentials");
        assertThatThrownBy(
                        () -> new OutboundTrunk("h", null, "udp", acme, null, null, null, true, Duration.ofSeconds(59)))
                .hasMessage("registerExpires is 60s to 86400s, not PT59S");
        assertThatThrownBy(() -> new OutboundTrunk("h", null, "udp", acme, null, "p", 70000, true, hour))
                .hasMessage("proxyPort is 1-65535, not 70000");
    }

    @Test
    void theOldConstructorMakesATrunkThatTakesCallsOnly() {
        TrunkConfig trunk = new TrunkConfig(
                "carrier",
                List.of(CidrNetwork.parse("192.0.2.0/24")),
                null,
                Map.of("default", "support"),
                CallLimits.UNLIMITED);
        assertThat(trunk.outbound()).isNull();
        assertThat(trunk)
                .isEqualTo(new TrunkConfig(
                        "carrier",
                        List.of(CidrNetwork.parse("192.0.2.0/24")),
                        null,
                        Map.of("default", "support"),
                        CallLimits.UNLIMITED,
                        null));
    }
}
