package dev.softswitch.sip.uac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.auth.DigestAlgorithm;
import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.uac.RegistrationAction.DigestAnswer;
import dev.softswitch.sip.uac.RegistrationAction.Idle;
import dev.softswitch.sip.uac.RegistrationAction.Send;
import dev.softswitch.sip.uac.RegistrationAction.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One binding's life against a registrar played by hand, on a clock the test moves: what goes out (Expires,
 * credentials), when the next REGISTER is due, and the state the logs and metrics show.
 */
class RegistrationMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final AtomicInteger cnonces = new AtomicInteger();
    /** Jitter off unless a test sets it: back-offs are exact. */
    private double jitter = 0.0;

    private final RegistrationMachine machine =
            new RegistrationMachine("carrier", 3600, () -> jitter, () -> "cn" + cnonces.incrementAndGet());

    private Instant now = T0;

    private void advance(Duration step) {
        now = now.plus(step);
    }

    private void advanceTo(Instant at) {
        now = at;
    }

    private static RegistrationReply ok(int contactExpires, int headerExpires) {
        return new RegistrationReply(200, "OK", contactExpires, headerExpires, -1, null, -1);
    }

    private static RegistrationReply challenge(String nonce, boolean stale) {
        var c = new DigestClient.Challenge("carrier.test", nonce, null, DigestAlgorithm.MD5, true, stale);
        return new RegistrationReply(401, "Unauthorized", -1, -1, -1, c, -1);
    }

    private static RegistrationReply proxyChallenge(String nonce) {
        var c = new DigestClient.Challenge("carrier.test", nonce, null, DigestAlgorithm.MD5, true, false);
        return new RegistrationReply(407, "Proxy Authentication Required", -1, -1, -1, c, -1);
    }

    private static RegistrationReply tooBrief(int minExpires) {
        return new RegistrationReply(423, "Interval Too Brief", -1, -1, minExpires, null, -1);
    }

    private static RegistrationReply failure(int status, String reason, int retryAfter) {
        return new RegistrationReply(status, reason, -1, -1, -1, null, retryAfter);
    }

    private Send sent(RegistrationAction action) {
        assertThat(action).isInstanceOf(Send.class);
        return (Send) action;
    }

    private Instant waitUntil(RegistrationAction action) {
        assertThat(action).isInstanceOf(Wait.class);
        return ((Wait) action).at();
    }

    /** Starts and gets a 200 granting {@code granted} seconds; returns when the refresh is due. */
    private Instant registered(int granted) {
        machine.start(now);
        return waitUntil(machine.onReply(now, ok(granted, -1)));
    }

    // ------------------------------------------------------------------ registering and refreshing

    @Test
    void theFirstRegisterAsksForTheConfiguredExpiryWithoutCredentials() {
        assertThat(machine.state()).isEqualTo(RegistrationState.UNREGISTERED);
        Send first = sent(machine.start(now));
        assertThat(first.expires()).isEqualTo(3600);
        assertThat(first.credentials()).isNull();
        assertThat(machine.state()).isEqualTo(RegistrationState.REGISTERING);
        assertThat(machine.start(now)).as("started once").isInstanceOf(Idle.class);
    }

    @Test
    void aGrantIsRefreshedTenPercentEarlyAndAtLeastTenSeconds() {
        Instant refresh = registered(3600);
        RegistrationStatus status = machine.status();
        assertThat(status.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(status.registered()).isTrue();
        assertThat(status.lastStatus()).isEqualTo(200);
        assertThat(status.expiresAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(refresh).isEqualTo(T0.plusSeconds(3240));
        assertThat(status.nextAttemptAt()).isEqualTo(refresh);
    }

    @Test
    void theRefreshRuleInNumbers() {
        assertThat(RegistrationMachine.refreshDelay(3600)).isEqualTo(Duration.ofMinutes(54));
        assertThat(RegistrationMachine.refreshDelay(600)).isEqualTo(Duration.ofMinutes(9));
        assertThat(RegistrationMachine.refreshDelay(120)).isEqualTo(Duration.ofSeconds(108));
        assertThat(RegistrationMachine.refreshDelay(60)).isEqualTo(Duration.ofSeconds(50));
        assertThat(RegistrationMachine.refreshDelay(10)).as("at most half").isEqualTo(Duration.ofSeconds(5));
        assertThat(RegistrationMachine.refreshDelay(1)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theGrantComesFromOurContactThenTheExpiresHeaderThenWhatWeAsked() {
        machine.start(now);
        machine.onReply(now, ok(120, 600));
        assertThat(machine.status().expiresAt()).isEqualTo(T0.plusSeconds(120));

        RegistrationMachine header = new RegistrationMachine("h", 3600, () -> 0, () -> "c");
        header.start(now);
        header.onReply(now, ok(-1, 600));
        assertThat(header.status().expiresAt()).isEqualTo(T0.plusSeconds(600));

        RegistrationMachine asked = new RegistrationMachine("a", 900, () -> 0, () -> "c");
        asked.start(now);
        asked.onReply(now, ok(-1, -1));
        assertThat(asked.status().expiresAt()).isEqualTo(T0.plusSeconds(900));
    }

    @Test
    void aGrantOfZeroIsNoBinding() {
        machine.start(now);
        Instant retry = waitUntil(machine.onReply(now, ok(0, 3600)));
        assertThat(machine.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(machine.status().lastReason()).contains("0 s");
        assertThat(retry).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void theRefreshGoesWhenDueNotBefore() {
        Instant refresh = registered(60);
        assertThat(refresh).isEqualTo(T0.plusSeconds(50));
        advance(Duration.ofSeconds(20));
        assertThat(machine.due(now)).as("woken early").isEqualTo(new Wait(refresh));
        assertThat(machine.state()).isEqualTo(RegistrationState.REGISTERED);
        advanceTo(refresh);
        Send again = sent(machine.due(now));
        assertThat(again.expires()).isEqualTo(3600);
        assertThat(machine.state()).isEqualTo(RegistrationState.REGISTERING);
        assertThat(machine.due(now)).as("one REGISTER at a time").isInstanceOf(Idle.class);
        Instant next = waitUntil(machine.onReply(now, ok(60, -1)));
        assertThat(next).isEqualTo(refresh.plusSeconds(50));
        assertThat(machine.status().expiresAt()).isEqualTo(refresh.plusSeconds(60));
    }

    // ------------------------------------------------------------------ digest

    @Test
    void aChallengeIsAnsweredAndItsNonceReusedAheadWithTheNextCount() {
        machine.start(now);
        Send answer = sent(machine.onReply(now, challenge("n1", false)));
        assertThat(answer.expires()).isEqualTo(3600);
        DigestAnswer credentials = answer.credentials();
        assertThat(credentials).isNotNull();
        assertThat(credentials.challenge().nonce()).isEqualTo("n1");
        assertThat(credentials.proxy()).isFalse();
        assertThat(credentials.nonceCount()).isEqualTo(1);
        assertThat(credentials.cnonce()).isEqualTo("cn1");

        Instant refresh = waitUntil(machine.onReply(now, ok(3600, -1)));
        advanceTo(refresh);
        Send ahead = sent(machine.due(now));
        assertThat(ahead.credentials()).isNotNull();
        assertThat(ahead.credentials().nonceCount()).isEqualTo(2);
        assertThat(ahead.credentials().cnonce()).isEqualTo("cn1");
    }

    @Test
    void aProxyChallengeIsAnsweredWithProxyAuthorization() {
        machine.start(now);
        Send answer = sent(machine.onReply(now, proxyChallenge("p1")));
        assertThat(answer.credentials()).isNotNull();
        assertThat(answer.credentials().proxy()).isTrue();
    }

    @Test
    void aSecondFreshChallengeMeansOurCredentialsWereRefused() {
        machine.start(now);
        sent(machine.onReply(now, challenge("n1", false)));
        Instant retry = waitUntil(machine.onReply(now, challenge("n2", false)));
        RegistrationStatus status = machine.status();
        assertThat(status.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(status.lastStatus()).isEqualTo(401);
        assertThat(status.lastReason()).isEqualTo("401 Unauthorized (our credentials were refused)");
        assertThat(status.failures()).isEqualTo(1);
        assertThat(status.expiresAt()).isNull();
        assertThat(retry).isEqualTo(T0.plusSeconds(30));

        advanceTo(retry);
        Send next = sent(machine.due(now));
        assertThat(next.credentials()).as("the refused challenge is not reused").isNull();
    }

    @Test
    void aStaleChallengeIsAnsweredAgainButNotForever() {
        machine.start(now);
        sent(machine.onReply(now, challenge("n1", false)));
        Send second = sent(machine.onReply(now, challenge("n2", true)));
        assertThat(second.credentials().challenge().nonce()).isEqualTo("n2");
        assertThat(second.credentials().nonceCount()).isEqualTo(1);
        sent(machine.onReply(now, challenge("n3", true)));
        waitUntil(machine.onReply(now, challenge("n4", true)));
        assertThat(machine.state()).isEqualTo(RegistrationState.FAILED);
    }

    @Test
    void credentialsSentAheadAreAnsweredOnceMoreForANewNonceButNeverTwiceForTheSame() {
        machine.start(now);
        sent(machine.onReply(now, challenge("n1", false)));
        advanceTo(waitUntil(machine.onReply(now, ok(3600, -1))));
        sent(machine.due(now)); // n1, nc=2
        Send fresh = sent(machine.onReply(now, challenge("n2", false)));
        assertThat(fresh.credentials().challenge().nonce()).isEqualTo("n2");
        advanceTo(waitUntil(machine.onReply(now, ok(3600, -1))));

        sent(machine.due(now)); // n2, nc=2
        waitUntil(machine.onReply(now, challenge("n2", false)));
        assertThat(machine.status().lastReason()).contains("credentials were refused");
    }

    @Test
    void aChallengeWeCannotAnswerFails() {
        machine.start(now);
        waitUntil(machine.onReply(now, failure(401, "Unauthorized", -1)));
        assertThat(machine.status().lastReason()).isEqualTo("401 Unauthorized (no digest challenge we can answer)");
    }

    // ------------------------------------------------------------------ 423

    @Test
    void intervalTooBriefIsFollowedWithItsMinExpires() {
        machine.start(now);
        Send raised = sent(machine.onReply(now, tooBrief(7200)));
        assertThat(raised.expires()).isEqualTo(7200);
        Send answer = sent(machine.onReply(now, challenge("n1", false)));
        assertThat(answer.expires()).isEqualTo(7200);
        Instant refresh = waitUntil(machine.onReply(now, ok(7200, -1)));
        assertThat(machine.status().expiresAt()).isEqualTo(T0.plusSeconds(7200));
        advanceTo(refresh);
        assertThat(sent(machine.due(now)).expires())
                .as("we keep asking for the minimum")
                .isEqualTo(7200);
    }

    @Test
    void intervalTooBriefWithoutAUsableMinimumFails() {
        machine.start(now);
        waitUntil(machine.onReply(now, tooBrief(-1)));
        assertThat(machine.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(machine.status().lastStatus()).isEqualTo(423);

        RegistrationMachine lower = new RegistrationMachine("l", 3600, () -> 0, () -> "c");
        lower.start(now);
        assertThat(lower.onReply(now, tooBrief(60)))
                .as("not below what we asked")
                .isInstanceOf(Wait.class);

        RegistrationMachine greedy = new RegistrationMachine("g", 3600, () -> 0, () -> "c");
        greedy.start(now);
        sent(greedy.onReply(now, tooBrief(4000)));
        sent(greedy.onReply(now, tooBrief(5000)));
        assertThat(greedy.onReply(now, tooBrief(6000))).as("twice per attempt").isInstanceOf(Wait.class);
    }

    // ------------------------------------------------------------------ back-off

    @Test
    void failuresBackOffFromThirtySecondsDoublingToTenMinutesAndASuccessResetsIt() {
        machine.start(now);
        long[] expected = {30, 60, 120, 240, 480, 600, 600};
        for (long seconds : expected) {
            Instant retry = waitUntil(machine.onReply(now, failure(503, "Service Unavailable", -1)));
            assertThat(Duration.between(now, retry)).isEqualTo(Duration.ofSeconds(seconds));
            advanceTo(retry);
            sent(machine.due(now));
        }
        assertThat(machine.status().failures()).isEqualTo(expected.length);
        advanceTo(waitUntil(machine.onReply(now, ok(3600, -1))));
        sent(machine.due(now));
        Instant retry = waitUntil(machine.onReply(now, failure(403, "Forbidden", -1)));
        assertThat(Duration.between(now, retry)).isEqualTo(Duration.ofSeconds(30));
        assertThat(machine.status().failures()).isEqualTo(expected.length + 1);
    }

    @Test
    void jitterShortensABackOffByAtMostAQuarter() {
        assertThat(RegistrationMachine.backoff(1, 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RegistrationMachine.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(26_250));
        assertThat(RegistrationMachine.backoff(1, 0.999_999)).isGreaterThan(Duration.ofMillis(22_499));
        assertThat(RegistrationMachine.backoff(50, 0.0)).isEqualTo(Duration.ofMinutes(10));
        jitter = 0.5;
        machine.start(now);
        Instant retry = waitUntil(machine.onReply(now, failure(500, "Server Internal Error", -1)));
        assertThat(Duration.between(now, retry)).isEqualTo(Duration.ofMillis(26_250));
    }

    @Test
    void aLongerRetryAfterIsHonouredUpToAnHour() {
        machine.start(now);
        Instant retry = waitUntil(machine.onReply(now, failure(503, "Service Unavailable", 300)));
        assertThat(retry).isEqualTo(T0.plusSeconds(300));
        advanceTo(retry);
        sent(machine.due(now));
        Instant capped = waitUntil(machine.onReply(now, failure(503, "Service Unavailable", 86400)));
        assertThat(Duration.between(now, capped)).isEqualTo(Duration.ofHours(1));
        advanceTo(capped);
        sent(machine.due(now));
        Instant shorter = waitUntil(machine.onReply(now, failure(503, "Service Unavailable", 5)));
        assertThat(Duration.between(now, shorter)).as("the back-off wins").isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aTimeoutAndATransportErrorFailLikeARefusal() {
        machine.start(now);
        Instant retry = waitUntil(machine.onTimeout(now));
        assertThat(machine.status().lastStatus()).isEqualTo(408);
        assertThat(machine.status().lastReason()).contains("timed out");
        assertThat(retry).isEqualTo(T0.plusSeconds(30));
        advanceTo(retry);
        sent(machine.due(now));
        Instant again = waitUntil(machine.onTransportError(now, "connection refused"));
        assertThat(machine.status().lastStatus()).isZero();
        assertThat(machine.status().lastReason()).isEqualTo("connection refused");
        assertThat(Duration.between(now, again)).isEqualTo(Duration.ofSeconds(60));
        assertThat(machine.status().failures()).isEqualTo(2);
    }

    @Test
    void aFailedRefreshLosesTheBinding() {
        advanceTo(registered(3600));
        sent(machine.due(now));
        waitUntil(machine.onReply(now, failure(403, "Forbidden", -1)));
        RegistrationStatus status = machine.status();
        assertThat(status.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(status.registered()).isFalse();
        assertThat(status.lastReason()).isEqualTo("403 Forbidden");
    }

    @Test
    void eventsOutOfPlaceAreIgnored() {
        assertThat(machine.onReply(now, ok(60, -1))).as("before start").isInstanceOf(Idle.class);
        assertThat(machine.due(now)).isInstanceOf(Idle.class);
        registered(3600);
        assertThat(machine.onReply(now, failure(500, "late", -1))).isInstanceOf(Idle.class);
        assertThat(machine.onTimeout(now)).isInstanceOf(Idle.class);
        assertThat(machine.state()).isEqualTo(RegistrationState.REGISTERED);
        sent(machine.due(T0.plusSeconds(3240)));
        assertThat(machine.onReply(now, new RegistrationReply(100, "Trying", -1, -1, -1, null, -1)))
                .isInstanceOf(Idle.class);
        assertThat(machine.state()).isEqualTo(RegistrationState.REGISTERING);
    }

    // ------------------------------------------------------------------ stop

    @Test
    void stoppingRemovesTheBindingWithExpiresZeroAndTheCachedCredentials() {
        machine.start(now);
        sent(machine.onReply(now, challenge("n1", false)));
        machine.onReply(now, ok(3600, -1));
        Send remove = sent(machine.stop(now));
        assertThat(remove.expires()).isZero();
        assertThat(remove.credentials()).isNotNull();
        assertThat(remove.credentials().nonceCount()).isEqualTo(2);
        assertThat(machine.removing()).isTrue();
        assertThat(machine.finished()).isFalse();
        assertThat(machine.onReply(now, ok(-1, 0))).isInstanceOf(Idle.class);
        assertThat(machine.finished()).isTrue();
        assertThat(machine.removedCleanly()).isTrue();
        RegistrationStatus status = machine.status();
        assertThat(status.state()).isEqualTo(RegistrationState.UNREGISTERED);
        assertThat(status.expiresAt()).isNull();
        assertThat(status.nextAttemptAt()).isNull();
        assertThat(machine.due(now.plusSeconds(5000))).isInstanceOf(Idle.class);
        assertThat(machine.stop(now)).isInstanceOf(Idle.class);
    }

    @Test
    void theRemovalAnswersAChallengeToo() {
        registered(3600);
        sent(machine.stop(now));
        Send answer = sent(machine.onReply(now, challenge("n9", false)));
        assertThat(answer.expires()).isZero();
        assertThat(answer.credentials().challenge().nonce()).isEqualTo("n9");
        machine.onReply(now, ok(-1, -1));
        assertThat(machine.removedCleanly()).isTrue();
    }

    @Test
    void aRemovalThatFailsOrTimesOutStillFinishes() {
        registered(3600);
        sent(machine.stop(now));
        assertThat(machine.onTimeout(now)).isInstanceOf(Idle.class);
        assertThat(machine.finished()).isTrue();
        assertThat(machine.removedCleanly()).isFalse();
        assertThat(machine.state()).isEqualTo(RegistrationState.UNREGISTERED);
        assertThat(machine.status().failures()).as("not a registration failure").isZero();

        RegistrationMachine refused = new RegistrationMachine("r", 3600, () -> 0, () -> "c");
        refused.start(now);
        refused.onReply(now, ok(3600, -1));
        sent(refused.stop(now));
        sent(refused.onReply(now, challenge("n1", false)));
        assertThat(refused.onReply(now, challenge("n2", false))).isInstanceOf(Idle.class);
        assertThat(refused.finished()).isTrue();
        assertThat(refused.removedCleanly()).isFalse();
    }

    @Test
    void withoutABindingStoppingFinishesAtOnce() {
        machine.start(now);
        waitUntil(machine.onReply(now, failure(403, "Forbidden", -1)));
        assertThat(machine.stop(now)).isInstanceOf(Idle.class);
        assertThat(machine.finished()).isTrue();
        assertThat(machine.state()).isEqualTo(RegistrationState.UNREGISTERED);
        assertThat(machine.status().lastStatus())
                .as("the last answer stays visible")
                .isEqualTo(403);

        RegistrationMachine first = new RegistrationMachine("f", 3600, () -> 0, () -> "c");
        first.start(now);
        assertThat(first.stop(now)).as("the first REGISTER still on its way").isInstanceOf(Idle.class);
        assertThat(first.onReply(now, ok(3600, -1))).isInstanceOf(Idle.class);
        assertThat(first.state()).isEqualTo(RegistrationState.UNREGISTERED);

        RegistrationMachine never = new RegistrationMachine("n", 3600, () -> 0, () -> "c");
        assertThat(never.stop(now)).isInstanceOf(Idle.class);
        assertThat(never.finished()).isTrue();
    }

    @Test
    void aRefreshInFlightAtStopIsFollowedByTheRemoval() {
        advanceTo(registered(3600));
        sent(machine.due(now));
        Send remove = sent(machine.stop(now));
        assertThat(remove.expires()).isZero();
        machine.onReply(now, ok(-1, -1));
        assertThat(machine.removedCleanly()).isTrue();
    }
}
