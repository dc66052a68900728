package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A softswitch started from a configuration file: only known callers get through, by each of the three ways: an
 * {@code assistant:key} URI, a PBX user answering a digest challenge, and a trunk known by its address.
 */
class ConfiguredCallsIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String KEY = "k3y-for-tests";
    private static final String ALICE_PASSWORD = "alice-secret-9";

    private static Softswitch server;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = TestServers.configured(dir, """
                assistants:
                  - id: support
                    kind: echo
                    api_keys: ["${env:SUPPORT_KEY}"]
                  - id: sales
                    kind: tone
                  - id: brief
                    kind: tone
                    max_duration: 1s
                    api_keys: ["${env:SUPPORT_KEY}"]
                trunks:
                  - name: carrier
                    networks: [127.0.0.2/32]
                    routes:
                      "+15551230000": sales
                      default: support
                  - name: small
                    networks: [127.0.0.3/32]
                    max_concurrent_calls: 1
                    routes:
                      default: sales
                pbx_users:
                  - username: alice
                    password: ${env:ALICE_PASSWORD}
                    assistant: support
                security:
                  digest_algorithms: [MD5] # baresip 1.0 (libre 1.x) gives up on a SHA-256 challenge
                """, Map.of("SUPPORT_KEY", KEY, "ALICE_PASSWORD", ALICE_PASSWORD));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anApiKeyInTheUriReachesItsAssistant(@TempDir Path dir) throws Exception {
        long before = completed();
        Path scenario = Sipp.scenario(dir, "call", Map.of("to", "support:" + KEY));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "support:" + KEY, "-m", "2");
        assertThat(sipp.exitCode()).as("calls with the key\n%s", sipp.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed() - before == 2);
    }

    @Test
    void aKeyInTheToUriIsAcceptedWhenTheRequestUriHasNone(@TempDir Path dir) throws Exception {
        long before = completed();
        Path scenario = Sipp.scenario(dir, "call", Map.of("to", "support:" + KEY));
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "support", "-m", "1");
        assertThat(sipp.exitCode()).as("key in To only\n%s", sipp.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed() - before == 1);
    }

    @Test
    void aWrongKeyIsForbidden(@TempDir Path dir) throws Exception {
        Sipp.Result sipp = expectFinal(dir, "127.0.0.1", "support:wrong", "403");
        assertThat(sipp.exitCode()).as("wrong key -> 403\n%s", sipp.output()).isZero();
    }

    @Test
    void aCallerWithoutCredentialsIsChallenged(@TempDir Path dir) throws Exception {
        Sipp.Result sipp = expectFinal(dir, "127.0.0.1", "support", "401");
        assertThat(sipp.exitCode())
                .as("no credentials -> 401\n%s", sipp.output())
                .isZero();
    }

    @Test
    void aPbxUserAnswersTheDigestChallengeAndIsConnected(@TempDir Path dir) throws Exception {
        long before = completed();
        Path scenario = Sipp.scenario(dir, "digest-call", Map.of());
        Sipp.Result sipp = Sipp.run(
                dir,
                port(),
                LIMIT,
                "-sf",
                scenario.toString(),
                "-s",
                "alice",
                "-au",
                "alice",
                "-ap",
                ALICE_PASSWORD,
                "-m",
                "1");
        assertThat(sipp.exitCode()).as("digest call\n%s", sipp.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed() - before == 1);
    }

    @Test
    void aPbxUserWithTheWrongPasswordIsForbiddenAfterTheChallenge(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "digest-call", Map.of());
        Sipp.Result sipp = Sipp.run(
                dir,
                port(),
                LIMIT,
                "-sf",
                scenario.toString(),
                "-s",
                "alice",
                "-au",
                "alice",
                "-ap",
                "not-her-password",
                "-m",
                "1");
        assertThat(sipp.exitCode()).as("wrong password must fail the call").isNotZero();
        assertThat(sipp.output()).contains("403");
    }

    @Test
    void aTrunkKnownByItsAddressIsRoutedByTheDialledNumber(@TempDir Path dir) throws Exception {
        long before = completed();
        Sipp.Result routed = Sipp.runFrom(
                "127.0.0.2", dir, port(), LIMIT, "-sn", "uac", "-s", "+15551230000", "-m", "1", "-d", "200");
        assertThat(routed.exitCode())
                .as("trunk call to a routed number\n%s", routed.output())
                .isZero();
        Sipp.Result fallback = Sipp.runFrom(
                "127.0.0.2", dir, port(), LIMIT, "-sn", "uac", "-s", "+15550000000", "-m", "1", "-d", "200");
        assertThat(fallback.exitCode())
                .as("trunk call to the default route\n%s", fallback.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed() - before == 2);
    }

    @Test
    void aTrunkAtItsCallLimitGets503WithRetryAfter(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path scenario = Sipp.scenario(first, "server-hangup", Map.of());
        Process up = Sipp.start("127.0.0.3", first, port(), LIMIT, "-sf", scenario.toString(), "-s", "100", "-m", "1");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.sip().activeCalls() >= 1);
            Sipp.Result second = expectFinal(dir, "127.0.0.3", "101", "503");
            assertThat(second.exitCode())
                    .as("the trunk's second call -> 503\n%s", second.output())
                    .isZero();
        } finally {
            up.destroy();
        }
    }

    @Test
    void byeCrossingByeEndsTheCallOnceAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        // Other tests' calls may still be ending on this shared server: count this call's own traces only.
        int leasedBefore = server.media().pool().leased();
        long endedBefore = endedByEitherBye();
        Path scenario = Sipp.scenario(dir, "bye-crossing-bye", Map.of());
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "brief:" + KEY, "-m", "1");
        assertThat(sipp.exitCode())
                .as(
                        "our BYE at max_duration crossing the caller's: 200 to ours, 200 or 481 to theirs\n%s",
                        sipp.output())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(endedByEitherBye() - endedBefore)
                    .as("the call ended once, by our BYE or by the caller's")
                    .isEqualTo(1);
            assertThat(server.media().pool().leased()).as("its port is back").isLessThanOrEqualTo(leasedBefore);
        });
        assertThat(server.sip().illegalTransitions()).isZero();
    }

    /** Calls ended at their maximum duration (our BYE) or by the caller (its BYE). */
    private static long endedByEitherBye() {
        Map<String, Long> results = server.sip().callResults();
        return results.getOrDefault("max_duration", 0L) + results.getOrDefault("completed", 0L);
    }

    @Test
    void aCallReachingItsAssistantsMaximumDurationIsEndedWithBye(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "server-hangup", Map.of());
        long started = System.nanoTime();
        Sipp.Result sipp = Sipp.run(dir, port(), LIMIT, "-sf", scenario.toString(), "-s", "brief:" + KEY, "-m", "1");
        assertThat(sipp.exitCode())
                .as("our BYE after max_duration\n%s", sipp.output())
                .isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
    }

    @Test
    void aPhoneRegistersWithDigestIsFoundInTheRegistrarAndUnregisters(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "register", Map.of());
        Process phone = Sipp.start(
                dir,
                port(),
                LIMIT,
                "-sf",
                scenario.toString(),
                "-s",
                "alice",
                "-au",
                "alice",
                "-ap",
                ALICE_PASSWORD,
                "-m",
                "1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.sip().registrar().bindings("alice", java.time.Instant.now()))
                        .singleElement()
                        .satisfies(b -> assertThat(b.contact()).startsWith("sip:alice@127.0.0.1:")));
        assertThat(phone.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(phone.exitValue())
                .as("register, then unregister\n%s", Files.readString(dir.resolve("sipp.out")))
                .isZero();
        assertThat(server.sip().registrar().bindings("alice", java.time.Instant.now()))
                .as("Expires: 0")
                .isEmpty();
    }

    @Test
    void baresipRegistersWithDigestIsFoundInTheRegistrarAndUnregistersWhenItQuits(@TempDir Path dir) throws Exception {
        Process phone = Baresip.register(dir, port(), "alice", ALICE_PASSWORD, 30);
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.sip().registrar().bindings("alice", java.time.Instant.now()))
                            .as("baresip's binding; its output:\n%s", Files.readString(dir.resolve("baresip.out")))
                            .singleElement()
                            .satisfies(b -> assertThat(b.contact()).startsWith("sip:alice")));
        } finally {
            phone.destroy(); // SIGTERM: baresip unregisters on its way out
        }
        assertThat(phone.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.sip().registrar().bindings("alice", java.time.Instant.now()))
                        .as("unregistered (Expires: 0)")
                        .isEmpty());
    }

    @Test
    void aRegisterWithTheWrongPasswordIsForbiddenAndBindsNothing(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "register", Map.of());
        Sipp.Result sipp = Sipp.run(
                dir,
                port(),
                LIMIT,
                "-sf",
                scenario.toString(),
                "-s",
                "alice",
                "-au",
                "alice",
                "-ap",
                "not-her-password",
                "-m",
                "1");
        assertThat(sipp.exitCode()).isNotZero();
        assertThat(sipp.output()).contains("403");
        assertThat(server.sip().registrar().bindings("alice", java.time.Instant.now()))
                .isEmpty();
    }

    @Test
    void onlyConfiguredPbxUsersMayRegister(@TempDir Path dir) throws Exception {
        Path scenario = Sipp.scenario(dir, "register", Map.of());
        Sipp.Result sipp = Sipp.run(
                dir,
                port(),
                LIMIT,
                "-sf",
                scenario.toString(),
                "-s",
                "mallory",
                "-au",
                "mallory",
                "-ap",
                "anything",
                "-m",
                "1");
        assertThat(sipp.output())
                .as("unknown user: challenged like anyone, then 403")
                .contains("403");
        assertThat(server.sip().registrar().size()).isZero();
    }

    private static Sipp.Result expectFinal(Path dir, String from, String service, String status) throws Exception {
        Path scenario = Sipp.scenario(dir, "expect-final", Map.of("pt", "0", "codec", "PCMU/8000", "status", status));
        return Sipp.runFrom(from, dir, port(), LIMIT, "-sf", scenario.toString(), "-s", service, "-m", "1");
    }

    private static int port() {
        return server.sip().port();
    }

    private static long completed() {
        return server.sip().callResults().getOrDefault("completed", 0L);
    }
}
