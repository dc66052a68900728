package dev.softswitch.sip.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.config.CidrNetwork;
import dev.softswitch.config.SecurityConfig;
import dev.softswitch.sip.guard.SipGuard.Screen;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-address limits, bans, scanners and hidden mode, on a clock the test moves. */
class SipGuardTest {

    private static final InetAddress ATTACKER = address("203.0.113.7");
    private static final InetAddress OTHER = address("198.51.100.9");
    private static final InetAddress TRUNK = address("192.0.2.10");

    private final TestClock clock = new TestClock();

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecurityConfig config(int rate, int burst, int failures, boolean hidden, List<String> scanners) {
        return new SecurityConfig(
                SecurityConfig.DEFAULT_MAX_MESSAGE_BYTES,
                rate,
                burst,
                failures,
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                scanners,
                hidden,
                List.of(CidrNetwork.parse("192.0.2.0/24")),
                SecurityConfig.DIGEST_ALGORITHMS);
    }

    private static SipGuard.Request options(InetAddress from) {
        return new SipGuard.Request(from, "OPTIONS", "", false, false);
    }

    @Test
    void aSourceOverItsRateIsBannedForTheBanTimeAndOthersAreNot() {
        SipGuard guard = new SipGuard(config(10, 20, 5, false, List.of()), clock);
        for (int i = 0; i < 20; i++) {
            assertThat(guard.screen(options(ATTACKER)))
                    .as("request %d of the burst", i)
                    .isEqualTo(Screen.PASS);
        }
        assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.RATE_LIMITED);
        assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.BANNED);
        assertThat(guard.screen(options(OTHER))).isEqualTo(Screen.PASS);
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.BANNED);
        clock.advance(Duration.ofMillis(1));
        assertThat(guard.screen(options(ATTACKER))).as("the ban is over").isEqualTo(Screen.PASS);
        GuardStats stats = guard.stats();
        assertThat(stats.rateLimited()).isEqualTo(1);
        assertThat(stats.bans()).isEqualTo(1);
        assertThat(stats.bannedDrops()).isEqualTo(2);
        assertThat(stats.bannedNow()).isZero();
    }

    @Test
    void theRateRefillsOverTime() {
        SipGuard guard = new SipGuard(config(10, 10, 5, false, List.of()), clock);
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < 10; i++) {
                assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.PASS);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(guard.stats().bans()).isZero();
    }

    @Test
    void exemptNetworksAreNeverLimitedNorBanned() {
        SipGuard guard = new SipGuard(config(1, 1, 1, true, List.of()), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(guard.screen(options(TRUNK))).isEqualTo(Screen.PASS);
            guard.authFailed(TRUNK, "INVITE");
        }
        assertThat(guard.screen(new SipGuard.Request(TRUNK, "INVITE", "", true, false)))
                .as("not hidden from an exempt network")
                .isEqualTo(Screen.PASS);
        assertThat(guard.stats().bans()).isZero();
        assertThat(guard.stats().authFailures()).isEqualTo(100);
    }

    @Test
    void failedAuthenticationsWithinTheWindowBan() {
        SipGuard guard = new SipGuard(config(0, 0, 3, false, List.of()), clock);
        guard.authFailed(ATTACKER, "REGISTER");
        guard.authFailed(ATTACKER, "REGISTER");
        clock.advance(Duration.ofMinutes(1)); // the window starts again
        guard.authFailed(ATTACKER, "REGISTER");
        guard.authFailed(ATTACKER, "INVITE");
        assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.PASS);
        guard.authFailed(ATTACKER, "INVITE");
        assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.BANNED);
        assertThat(guard.stats().bannedNow()).isEqualTo(1);
        assertThat(guard.stats().authFailures()).isEqualTo(5);
    }

    @Test
    void zeroTurnsALimitOff() {
        SipGuard guard = new SipGuard(config(0, 0, 0, false, List.of()), clock);
        for (int i = 0; i < 10_000; i++) {
            assertThat(guard.screen(options(ATTACKER))).isEqualTo(Screen.PASS);
            guard.authFailed(ATTACKER, "REGISTER");
        }
        assertThat(guard.stats().bans()).isZero();
    }

    @Test
    void scannersAreDroppedByUserAgentWhateverTheCase() {
        SipGuard guard = new SipGuard(config(0, 0, 0, false, SecurityConfig.DEFAULT_SCANNER_USER_AGENTS), clock);
        for (String ua : List.of("friendly-scanner", "SIPVicious 0.3.4", "sipcli/v1.8", "VaxSIPUserAgent/3.1")) {
            assertThat(guard.screen(new SipGuard.Request(OTHER, "OPTIONS", ua, false, false)))
                    .as(ua)
                    .isEqualTo(Screen.SCANNER);
        }
        assertThat(guard.screen(new SipGuard.Request(OTHER, "OPTIONS", "Linphone/5.2", false, false)))
                .isEqualTo(Screen.PASS);
        assertThat(guard.stats().scannerDrops()).isEqualTo(4);
        SipGuard off = new SipGuard(config(0, 0, 0, false, List.of()), clock);
        assertThat(off.screen(new SipGuard.Request(OTHER, "OPTIONS", "friendly-scanner", false, false)))
                .isEqualTo(Screen.PASS);
    }

    @Test
    void hiddenModeDropsNewInvitesWithoutCredentialsOnly() {
        SipGuard guard = new SipGuard(config(0, 0, 0, true, List.of()), clock);
        assertThat(guard.screen(new SipGuard.Request(OTHER, "INVITE", "", true, false)))
                .isEqualTo(Screen.HIDDEN);
        assertThat(guard.screen(new SipGuard.Request(OTHER, "INVITE", "", true, true)))
                .isEqualTo(Screen.PASS);
        assertThat(guard.screen(new SipGuard.Request(OTHER, "INVITE", "", false, false)))
                .as("in a dialog")
                .isEqualTo(Screen.PASS);
        assertThat(guard.screen(options(OTHER))).isEqualTo(Screen.PASS);
        assertThat(guard.stats().hiddenDrops()).isEqualTo(1);
        SipGuard shown = new SipGuard(config(0, 0, 0, false, List.of()), clock);
        assertThat(shown.screen(new SipGuard.Request(OTHER, "INVITE", "", true, false)))
                .isEqualTo(Screen.PASS);
    }

    @Test
    void theTableOfAddressesIsBounded() {
        SourceTable table = new SourceTable(clock, 100, 10, 10, 3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        for (int i = 0; i < 1000; i++) {
            table.request(address("10.0." + (i / 256) + "." + (i % 256)));
        }
        assertThat(table.size()).isEqualTo(100);
        clock.advance(Duration.ofMinutes(2));
        table.request(address("10.9.9.9")); // idle addresses are forgotten to make room
        assertThat(table.size()).isEqualTo(1);
    }
}
