package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.softswitch.app.metrics.SoftswitchMetrics;
import dev.softswitch.sip.registrar.Binding;
import dev.softswitch.sip.registrar.Registrar;
import dev.softswitch.sip.uac.RegistrationState;
import dev.softswitch.sip.uac.RegistrationStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A trunk with {@code register: true} keeps a binding at its carrier, on 127.0.0.1: softswitch A registers at
 * softswitch B's registrar (which challenges with digest) and removes the binding when it stops; a wrong password is
 * refused and shows as a failure; and against SIPp playing a registrar that answers 423 then 401, A raises its expiry
 * to the Min-Expires, answers the challenge, takes the lifetime from its Contact in the 200 and refreshes a short one
 * in time, with the challenge answered ahead.
 */
class TrunkRegistrationIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "s3cret-for-registering";

    @TempDir
    Path dir;

    private Softswitch registrar;
    private Softswitch caller;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger registrationLog = (Logger) LoggerFactory.getLogger("dev.softswitch.sip.TrunkRegistrations");

    @BeforeEach
    void captureLogs() {
        logs.start();
        registrationLog.addAppender(logs);
    }

    @AfterEach
    void stopBoth() {
        registrationLog.detachAppender(logs);
        if (caller != null) {
            caller.stop(Duration.ZERO);
        }
        if (registrar != null) {
            registrar.stop(Duration.ZERO);
        }
    }

    /** Softswitch B: its registrar knows PBX user {@code acme}. */
    private Softswitch startRegistrar() throws Exception {
        return TestServers.configured(
                Files.createDirectories(dir.resolve("b")), """
                assistants:
                  - id: echo
                    kind: echo
                pbx_users:
                  - username: acme
                    password: ${env:ACME_PASSWORD}
                    assistant: echo
                """, Map.of("ACME_PASSWORD", PASSWORD));
    }

    /** Softswitch A: trunk {@code carrier} registers at 127.0.0.1:{@code port} as {@code acme}. */
    private Softswitch startCaller(int port, String password) throws Exception {
        return TestServers.configured(
                Files.createDirectories(dir.resolve("a")), """
                assistants:
                  - id: echo
                    kind: echo
                trunks:
                  - name: carrier
                    outbound:
                      host: 127.0.0.1
                      port: %d
                      username: acme
                      password: ${env:CARRIER_PASSWORD}
                      register: true
                      register_expires: 60s
                """.formatted(port), Map.of("CARRIER_PASSWORD", password));
    }

    private static RegistrationStatus status(Softswitch softswitch) {
        List<RegistrationStatus> all = softswitch.sip().registrations();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static String metrics(Softswitch softswitch) {
        try (SoftswitchMetrics metrics = new SoftswitchMetrics().trunkRegistrations(softswitch.sip()::registrations)) {
            return metrics.scrape();
        }
    }

    private String logText() {
        StringBuilder out = new StringBuilder();
        logs.list.forEach(e -> out.append(e.getLevel())
                .append(' ')
                .append(e.getFormattedMessage())
                .append('\n'));
        return out.toString();
    }

    @Test
    void aTrunkRegistersAtTheCarrierWithDigestAndRemovesItsBindingWhenStopped() throws Exception {
        registrar = startRegistrar();
        caller = startCaller(registrar.sip().port(), PASSWORD);
        Registrar bindings = registrar.sip().registrar();
        assertThat(bindings).isNotNull();
        String contact = "sip:acme@127.0.0.1:" + caller.sip().port();

        await().atMost(WAIT).untilAsserted(() -> assertThat(bindings.bindings("acme", Instant.now()))
                .extracting(Binding::contact)
                .containsExactly(contact));
        await().atMost(WAIT).until(() -> status(caller).registered());
        RegistrationStatus status = status(caller);
        assertThat(status.trunk()).isEqualTo("carrier");
        assertThat(status.lastStatus()).isEqualTo(200);
        assertThat(status.failures()).isZero();
        assertThat(status.expiresAt())
                .as("B grants the 60 s asked for")
                .isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));
        assertThat(status.nextAttemptAt())
                .as("refresh 10 s early")
                .isBefore(status.expiresAt().minusSeconds(9));
        assertThat(bindings.bindings("acme", Instant.now()).getFirst().expires())
                .isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));
        assertThat(metrics(caller))
                .contains("softswitch_trunk_registered{trunk=\"carrier\"} 1.0")
                .contains("softswitch_trunk_registration_failures_total{trunk=\"carrier\"} 0.0");

        long stopping = System.nanoTime();
        caller.stop(Duration.ZERO);
        Duration took = Duration.ofNanos(System.nanoTime() - stopping);
        assertThat(bindings.bindings("acme", Instant.now()))
                .as("un-REGISTER (Expires: 0) confirmed before stop returned")
                .isEmpty();
        assertThat(took).as("shutdown waits for the removal, not longer").isLessThan(Duration.ofSeconds(5));
        assertThat(status(caller).state()).isEqualTo(RegistrationState.UNREGISTERED);
        caller = null;

        assertThat(logText())
                .contains("INFO trunk carrier: registering sip:acme@127.0.0.1 at sip:127.0.0.1:")
                .contains("INFO trunk carrier: registered at sip:127.0.0.1:")
                .contains("INFO trunk carrier: unregistered")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aRefusedPasswordIsAFailureThatBacksOff() throws Exception {
        registrar = startRegistrar();
        caller = startCaller(registrar.sip().port(), "not-the-password");

        await().atMost(WAIT).until(() -> status(caller).state() == RegistrationState.FAILED);
        RegistrationStatus status = status(caller);
        assertThat(status.lastStatus()).isEqualTo(403);
        assertThat(status.failures()).isEqualTo(1);
        assertThat(status.expiresAt()).isNull();
        assertThat(status.nextAttemptAt())
                .as("the first retry after about 30 s")
                .isBetween(Instant.now().plusSeconds(15), Instant.now().plusSeconds(31));
        assertThat(registrar.sip().registrar().bindings("acme", Instant.now())).isEmpty();
        assertThat(metrics(caller))
                .contains("softswitch_trunk_registered{trunk=\"carrier\"} 0.0")
                .contains("softswitch_trunk_registration_failures_total{trunk=\"carrier\"} 1.0");
        assertThat(logText())
                .contains("WARN trunk carrier: registration at sip:127.0.0.1:")
                .contains("failed: 403 Forbidden; retrying in ")
                .doesNotContain("not-the-password");
    }

    @Test
    void aRefusedTcpConnectionIsAFailureThatBacksOff() throws Exception {
        int closed = FreePorts.udpAndTcp(); // nothing listens there
        caller = TestServers.configured(
                Files.createDirectories(dir.resolve("a")), """
                assistants:
                  - id: echo
                    kind: echo
                trunks:
                  - name: carrier
                    outbound:
                      host: 127.0.0.1
                      port: %d
                      transport: tcp
                      username: acme
                      password: ${env:CARRIER_PASSWORD}
                      register: true
                """.formatted(closed), Map.of("CARRIER_PASSWORD", PASSWORD));

        await().atMost(WAIT).until(() -> status(caller).state() == RegistrationState.FAILED);
        RegistrationStatus status = status(caller);
        assertThat(status.lastStatus()).as("no response at all").isZero();
        assertThat(status.failures()).isEqualTo(1);
        assertThat(logText())
                .contains("WARN trunk carrier: registration at sip:127.0.0.1:" + closed + ";transport=tcp failed: ");
    }

    @Test
    void intervalTooBriefIsFollowedTheChallengeAnsweredAndAShortGrantRefreshed() throws Exception {
        int sippPort = FreePorts.udpAndTcp();
        Path sippDir = Files.createDirectories(dir.resolve("sipp"));
        Process sipp = Sipp.serve(
                sippDir,
                sippPort,
                SIPP_LIMIT,
                "-sf",
                Sipp.scenario(sippDir, "uas-register", Map.of("username", "acme", "password", PASSWORD))
                        .toString(),
                "-m",
                "1");
        // No wait for SIPp to bind: a REGISTER sent before is retransmitted (RFC 3261 17.1.2.2, Timer E).
        caller = startCaller(sippPort, PASSWORD);

        await().atMost(WAIT)
                .until(() -> status(caller).registered()
                        && status(caller).expiresAt().isAfter(Instant.now().plusSeconds(60)));
        RegistrationStatus status = status(caller);
        assertThat(status.lastStatus()).isEqualTo(200);
        assertThat(status.failures()).isZero();
        assertThat(status.expiresAt())
                .as("the 120 s of our Contact in the refresh's 200, after 423 Min-Expires: 120")
                .isBetween(Instant.now().plusSeconds(110), Instant.now().plusSeconds(121));
        assertThat(logText()).contains("INFO trunk carrier: 423 Interval Too Brief: registering again for 120 s");

        caller.stop(Duration.ZERO);
        caller = null;
        Sipp.Result far = Sipp.result(sipp, sippDir, SIPP_LIMIT);
        assertThat(far.exitCode())
                .as(
                        "SIPp saw Expires 60, then 120, valid credentials, a refresh with credentials sent ahead and"
                                + " the removal (Expires: 0):\n%s",
                        far.output())
                .isZero();
        assertThat(logText()).contains("INFO trunk carrier: unregistered");
    }
}
