package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per kind of error, each asserting the exact line a user sees: {@code file:line:column: field: message}. */
class ConfigErrorsTest {

    static final Path FILE = Path.of("softswitch.yaml");

    static final SecretResolver ENV = SecretResolver.withEnvironment(Map.of("SUPPORT_API_KEY", "sk-test-0123456789"));

    /** Appended where a test is not about assistants, so the file has its one required section. */
    static final String ASSISTANT = """
            assistants:
              - id: support
                kind: echo
            """;

    static ConfigException invalid(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, ENV));
    }

    static List<String> errors(String yaml) {
        ConfigException e = invalid(yaml);
        assertThat(e).as("the configuration should be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void yamlSyntaxErrorIsTheOneErrorAtTheParsersPosition() {
        assertThat(errors("""
                        listen:
                          bind: 127.0.0.1
                          sip_port: 5060: 5061
                        bogus_key: 1
                        """))
                .containsExactly("softswitch.yaml:3:17: YAML syntax: mapping values are not allowed here");
    }

    @Test
    void tabIndentationIsASyntaxError() {
        assertThat(errors("listen:\n\tbind: 127.0.0.1\n"))
                .containsExactly("softswitch.yaml:2:1: YAML syntax: found character '\\t(TAB)' that cannot start any"
                        + " token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void unclosedFlowListNamesWhereItStarted() {
        assertThat(errors("codecs: [PCMU, PCMA\n" + ASSISTANT))
                .containsExactly("softswitch.yaml:2:11: YAML syntax: expected ',' or ']', but got :"
                        + " (while parsing a flow sequence from line 1, column 9)");
    }

    @Test
    void unknownKeySuggestsTheNearMiss() {
        assertThat(errors("""
                        listen:
                          sip_prot: 5060
                        """ + ASSISTANT))
                .containsExactly("softswitch.yaml:2:3: listen.sip_prot: unknown key \"sip_prot\" (did you mean"
                        + " \"sip_port\"?)");
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownOnes() {
        assertThat(errors(ASSISTANT + "database: postgres\n"))
                .containsExactly("softswitch.yaml:4:1: database: unknown key \"database\" (known keys: listen, rtp,"
                        + " codecs, assistants, trunks, pbx_users, limits, records, api, providers, security, redis)");
    }

    @Test
    void duplicateKey() {
        assertThat(errors("""
                        listen:
                          sip_port: 5060
                          sip_port: 5070
                        """ + ASSISTANT))
                .containsExactly("softswitch.yaml:3:3: listen.sip_port: duplicate key (first at line 2)");
    }

    @Test
    void wrongTypes() {
        assertThat(errors("""
                        listen:
                          sip_port: five
                          transports: udp
                        rtp: 10000-20000
                        """ + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:13: listen.sip_port: expected a port number, got \"five\"",
                        "softswitch.yaml:3:15: listen.transports: expected a list, got \"udp\"",
                        "softswitch.yaml:4:6: rtp: expected a mapping (ports), got \"10000-20000\"");
    }

    @Test
    void portOutOfRange() {
        assertThat(errors("""
                        listen:
                          sip_port: 0
                          http_port: 70000
                        """ + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:13: listen.sip_port: 0 is not a port (1-65535)",
                        "softswitch.yaml:3:14: listen.http_port: 70000 is not a port (0-65535; 0 turns HTTP off)");
    }

    @Test
    void badPortRanges() {
        assertThat(errors("rtp:\n  ports: 20000-10000\n" + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:10: rtp.ports: \"20000-10000\" is not a port range (LOW must be below HIGH)");
        assertThat(errors("rtp:\n  ports: 10000:20000\n" + ASSISTANT))
                .containsExactly("softswitch.yaml:2:10: rtp.ports: \"10000:20000\" is not a port range (write"
                        + " LOW-HIGH, such as 10000-20000)");
        assertThat(errors("rtp:\n  ports: 80-90\n" + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:10: rtp.ports: \"80-90\" is not a port range (RTP ports are within 1024-65535)");
    }

    @Test
    void rtpRangeMustNotHoldTheSipPort() {
        assertThat(errors("listen:\n  sip_port: 15060\nrtp:\n  ports: 10000-20000\n" + ASSISTANT))
                .containsExactly("softswitch.yaml:4:10: rtp.ports: 10000-20000 holds listen.sip_port 15060");
    }

    @Test
    void badDurations() {
        assertThat(errors("""
                        assistants:
                          - id: support
                            kind: echo
                            idle_timeout: 30 sec
                            max_duration: 0s
                        """))
                .containsExactly(
                        "softswitch.yaml:4:19: assistants[0].idle_timeout: \"30 sec\" is not a duration (write a whole"
                                + " number and a unit: 500ms, 30s, 5m or 1h)",
                        "softswitch.yaml:5:19: assistants[0].max_duration: 0s is too short: give more than 0");
    }

    @Test
    void unknownAndRepeatedCodecs() {
        assertThat(errors("codecs: [PCMU, G729, pcmu]\n" + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:1:16: codecs[1]: unknown codec \"G729\" (known: PCMU, PCMA, G722)",
                        "softswitch.yaml:1:22: codecs[2]: PCMU is listed twice");
    }

    @Test
    void unsupportedTransport() {
        assertThat(errors("listen:\n  transports: [udp, wss]\n" + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:21: listen.transports[1]: wss is not supported yet (supported: udp, tcp)");
    }

    @Test
    void assistantsAreRequired() {
        assertThat(errors("listen:\n  sip_port: 5060\n"))
                .containsExactly(
                        "softswitch.yaml:1:1: assistants: required: at least one assistant (kinds: echo, tone, websocket, openai-realtime)");
        assertThat(errors(""))
                .containsExactly(
                        "softswitch.yaml:1:1: assistants: required: at least one assistant (kinds: echo, tone, websocket, openai-realtime)");
    }

    @Test
    void unknownAssistantKindListsTheKnownKinds() {
        assertThat(errors("""
                        assistants:
                          - id: bot
                            kind: dialogflow
                        """))
                .containsExactly(
                        "softswitch.yaml:3:11: assistants[0].kind: unknown kind \"dialogflow\" (known kinds: echo, tone, websocket,"
                                + " openai-realtime)");
    }

    @Test
    void missingAndMalformedAssistantId() {
        assertThat(errors("""
                        assistants:
                          - kind: echo
                          - id: "front desk"
                            kind: echo
                        """))
                .containsExactly(
                        "softswitch.yaml:2:5: assistants[0].id: required: the name routes and sip:ID:KEY@host URIs use",
                        "softswitch.yaml:3:9: assistants[1].id: \"front desk\" is not a valid name (letters, digits,"
                                + " '.', '_' and '-', starting with a letter or digit)");
    }

    @Test
    void duplicateAssistantIds() {
        assertThat(errors("""
                        assistants:
                          - id: support
                            kind: echo
                          - id: support
                            kind: tone
                        """))
                .containsExactly(
                        "softswitch.yaml:4:9: assistants[1].id: duplicate assistant id \"support\" (first at line 2)");
    }

    @Test
    void duplicateTrunkNames() {
        assertThat(errors(ASSISTANT + """
                        trunks:
                          - name: carrier
                            networks: [198.51.100.0/24]
                            routes: {default: support}
                          - name: carrier
                            networks: [203.0.113.0/24]
                            routes: {default: support}
                        """))
                .containsExactly(
                        "softswitch.yaml:8:11: trunks[1].name: duplicate trunk name \"carrier\" (first at line 5)");
    }

    @Test
    void duplicatePbxUsernames() {
        assertThat(errors(ASSISTANT + """
                        pbx_users:
                          - username: alice
                            password: ${env:SUPPORT_API_KEY}
                            assistant: support
                          - username: alice
                            password: ${env:SUPPORT_API_KEY}
                            assistant: support
                        """))
                .containsExactly(
                        "softswitch.yaml:8:15: pbx_users[1].username: duplicate PBX username \"alice\" (first at line 5)");
    }

    @Test
    void routeToAnUnknownAssistant() {
        assertThat(errors(ASSISTANT + """
                        trunks:
                          - name: carrier
                            networks: [198.51.100.0/24]
                            routes:
                              "+15551230000": suport
                              default: sales
                        """))
                .containsExactly(
                        "softswitch.yaml:8:23: trunks[0].routes[\"+15551230000\"]: unknown assistant \"suport\" (did you"
                                + " mean \"support\"?)",
                        "softswitch.yaml:9:16: trunks[0].routes.default: unknown assistant \"sales\" (assistants:"
                                + " support)");
    }

    @Test
    void pbxUserForAnUnknownAssistant() {
        assertThat(errors(ASSISTANT + """
                        pbx_users:
                          - username: alice
                            password: ${env:SUPPORT_API_KEY}
                            assistant: sales
                        """))
                .containsExactly(
                        "softswitch.yaml:7:16: pbx_users[0].assistant: unknown assistant \"sales\" (assistants: support)");
    }

    @Test
    void badCidrNetworks() {
        assertThat(errors(ASSISTANT + """
                        trunks:
                          - name: carrier
                            networks: [198.51.100.0/24, 10.0.0.0/33, "2001:db8::/129", carrier.example, 10.0.0.1/24]
                            routes: {default: support}
                        """))
                .containsExactly(
                        "softswitch.yaml:6:33: trunks[0].networks[1]: \"10.0.0.0/33\" is not a CIDR network (prefix must"
                                + " be 0-32 for IPv4)",
                        "softswitch.yaml:6:46: trunks[0].networks[2]: \"2001:db8::/129\" is not a CIDR network (prefix"
                                + " must be 0-128 for IPv6)",
                        "softswitch.yaml:6:64: trunks[0].networks[3]: \"carrier.example\" is not a CIDR network (not an IP"
                                + " address)",
                        "softswitch.yaml:6:81: trunks[0].networks[4]: \"10.0.0.1/24\" is not a CIDR network (host bits are"
                                + " set: the network is 10.0.0.0/24, or write 10.0.0.1 alone for the one address)");
    }

    @Test
    void trunkNeedsNetworksOrCredentials() {
        assertThat(errors(ASSISTANT + """
                        trunks:
                          - name: carrier
                            routes: {default: support}
                        """))
                .containsExactly("softswitch.yaml:5:5: trunks[0].networks: required: the source networks this trunk"
                        + " calls from (or username and password, or both)");
    }

    @Test
    void wildcardBindWithoutAdvertise() {
        assertThat(errors("listen:\n  bind: 0.0.0.0\n" + ASSISTANT))
                .containsExactly("softswitch.yaml:2:9: listen.advertise: required when listen.bind is 0.0.0.0 (every"
                        + " address): the address callers reach, written into SDP and Contact");
        assertThat(errors("listen:\n  bind: \"::\"\n" + ASSISTANT))
                .containsExactly("softswitch.yaml:2:9: listen.advertise: required when listen.bind is :: (every"
                        + " address): the address callers reach, written into SDP and Contact");
    }

    @Test
    void bindMustBeAnAddressAndAdvertiseNotAWildcard() {
        assertThat(errors("listen:\n  bind: sip.example.com\n  advertise: 0.0.0.0\n" + ASSISTANT))
                .containsExactly(
                        "softswitch.yaml:2:9: listen.bind: \"sip.example.com\" is not an IP address (bind takes one of"
                                + " this host's addresses, or 0.0.0.0 or :: for all of them)",
                        "softswitch.yaml:3:14: listen.advertise: \"0.0.0.0\" listens everywhere but cannot be called:"
                                + " advertise the address callers reach");
    }

    @Test
    void passwordWithoutUsernameAndTheReverse() {
        assertThat(errors(ASSISTANT + """
                        trunks:
                          - name: carrier
                            password: ${env:SUPPORT_API_KEY}
                            routes: {default: support}
                          - name: other
                            username: acme
                            routes: {default: support}
                        """))
                .containsExactly(
                        "softswitch.yaml:6:15: trunks[0].password: a password needs a username: add trunks[0].username",
                        "softswitch.yaml:9:15: trunks[1].username: a username needs a password: add trunks[1].password");
    }

    @Test
    void unsetEnvironmentVariable() {
        assertThat(errors("""
                        assistants:
                          - id: support
                            kind: echo
                            api_keys: ["${env:SUPPORT_API_KEY}", "${env:SALES_API_KEY}"]
                        """))
                .containsExactly(
                        "softswitch.yaml:4:42: assistants[0].api_keys[1]: environment variable SALES_API_KEY is not set");
    }

    @Test
    void missingSecretFile() {
        assertThat(errors(ASSISTANT + """
                        pbx_users:
                          - username: alice
                            password: ${file:/nonexistent/softswitch/alice}
                            assistant: support
                        """))
                .containsExactly("softswitch.yaml:6:15: pbx_users[0].password: secret file"
                        + " /nonexistent/softswitch/alice: no such file");
    }

    @Test
    void unknownKindOfSecretReference() {
        assertThat(errors(ASSISTANT + """
                        pbx_users:
                          - username: alice
                            password: ${vault:alice}
                            assistant: support
                        """))
                .containsExactly("softswitch.yaml:6:15: pbx_users[0].password: unknown kind of secret reference"
                        + " \"vault\": use ${env:NAME} or ${file:/path}");
    }

    @Test
    void missingPbxFieldsPointAtTheEntry() {
        assertThat(errors(ASSISTANT + """
                        pbx_users:
                          - username: alice
                        """))
                .containsExactly(
                        "softswitch.yaml:5:5: pbx_users[0].password: required: the digest password, as ${env:NAME} or"
                                + " ${file:/path}",
                        "softswitch.yaml:5:5: pbx_users[0].assistant: required: the id of the assistant that answers this"
                                + " user's calls");
    }

    @Test
    void literalSecretsAreAllowedWithAWarning() throws Exception {
        LoadedConfig loaded = ConfigLoader.parse("""
                assistants:
                  - id: support
                    kind: echo
                    api_keys: [sk-literal-0123456789]
                trunks:
                  - name: carrier
                    networks: [198.51.100.0/24]
                    username: acme
                    password: "carrier pass"
                    routes: {default: support}
                """, FILE, ENV);
        assertThat(loaded.warnings().stream().map(ConfigError::toString))
                .containsExactly(
                        "softswitch.yaml:4:16: assistants[0].api_keys[0]: a secret written in the file: put it in an"
                                + " environment variable (${env:NAME}) or a file (${file:/path})",
                        "softswitch.yaml:9:15: trunks[0].password: a secret written in the file: put it in an"
                                + " environment variable (${env:NAME}) or a file (${file:/path})");
        assertThat(loaded.config().trunks().get(0).credentials().password().reveal())
                .isEqualTo("carrier pass");
    }

    @Test
    void aliasesAreRejected() {
        assertThat(errors("""
                        assistants:
                          - id: &name support
                            kind: echo
                          - id: *name
                            kind: tone
                        """))
                .containsExactly(
                        "softswitch.yaml:4:5: assistants[1].id: required: the name routes and sip:ID:KEY@host URIs use",
                        "softswitch.yaml:4:9: assistants[1].id: YAML aliases (*name) are not supported: write the value"
                                + " out");
    }

    @Test
    void everyErrorIsReportedInOnePassInFileOrder() {
        ConfigException e = invalid("""
                listen:
                  bind: 0.0.0.0
                  sip_prot: 5060
                rtp:
                  ports: 20000-10000
                codecs: [PCMU, G729]
                assistants:
                  - id: support
                    kind: dialogflow
                    idle_timeout: soon
                trunks:
                  - name: carrier
                    networks: [10.0.0.0/33]
                    password: ${env:CARRIER_PASSWORD}
                    routes: {default: suport}
                pbx_users:
                  - username: alice
                    password: hunter2
                    assistant: support
                """);
        assertThat(e.errors().stream().map(ConfigError::toString))
                .containsExactly(
                        "softswitch.yaml:2:9: listen.advertise: required when listen.bind is 0.0.0.0 (every address):"
                                + " the address callers reach, written into SDP and Contact",
                        "softswitch.yaml:3:3: listen.sip_prot: unknown key \"sip_prot\" (did you mean \"sip_port\"?)",
                        "softswitch.yaml:5:10: rtp.ports: \"20000-10000\" is not a port range (LOW must be below HIGH)",
                        "softswitch.yaml:6:16: codecs[1]: unknown codec \"G729\" (known: PCMU, PCMA, G722)",
                        "softswitch.yaml:9:11: assistants[0].kind: unknown kind \"dialogflow\" (known kinds: echo, tone, websocket,"
                                + " openai-realtime)",
                        "softswitch.yaml:10:19: assistants[0].idle_timeout: \"soon\" is not a duration (write a whole"
                                + " number and a unit: 500ms, 30s, 5m or 1h)",
                        "softswitch.yaml:13:16: trunks[0].networks[0]: \"10.0.0.0/33\" is not a CIDR network (prefix must"
                                + " be 0-32 for IPv4)",
                        "softswitch.yaml:14:15: trunks[0].password: environment variable CARRIER_PASSWORD is not set",
                        "softswitch.yaml:14:15: trunks[0].password: a password needs a username: add trunks[0].username",
                        "softswitch.yaml:15:23: trunks[0].routes.default: unknown assistant \"suport\" (did you mean"
                                + " \"support\"?)");
        assertThat(e.warnings().stream().map(ConfigError::toString))
                .containsExactly("softswitch.yaml:18:15: pbx_users[0].password: a secret written in the file: put it in"
                        + " an environment variable (${env:NAME}) or a file (${file:/path})");
        assertThat(e.getMessage())
                .startsWith("softswitch.yaml:2:9: listen.advertise: ")
                .contains("\n");
    }
}
