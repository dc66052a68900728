package dev.softswitch.sip.uac;

import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.uac.RegistrationAction.DigestAnswer;
import dev.softswitch.sip.uac.RegistrationAction.Idle;
import dev.softswitch.sip.uac.RegistrationAction.Send;
import dev.softswitch.sip.uac.RegistrationAction.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The state machine of one binding at a carrier (RFC 3261 10.2): {@code UNREGISTERED -> REGISTERING -> REGISTERED}
 * (refreshed before it expires) or {@code FAILED} (retried after a back-off), and back to {@code UNREGISTERED} when
 * {@link #stop} removes the binding with {@code Expires: 0}. Pure: time is passed in, the sender turns each returned
 * {@link RegistrationAction} into a REGISTER or a timer, and feeds back what came of it. Not thread-safe: one binding's
 * events run one at a time.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li><b>Granted lifetime</b>: the {@code expires} parameter of our Contact in the 200, else its {@code Expires}
 *       header, else what we asked for (RFC 3261 10.2.4). A grant of 0 is a failure: we are not bound.
 *   <li><b>Refresh</b> {@link #refreshDelay}: at the grant minus a margin of 10 % of it, at least 10 s, at most half
 *       of it: 3600 s refreshes after 3240 s, 60 s after 50 s, 10 s after 5 s. (Asterisk refreshes 10 s early,
 *       Linphone at 90 %; the larger of the two keeps a long grant safe from a slow registrar and a short one from
 *       refreshing late.)
 *   <li><b>423 Interval Too Brief</b>: ask again at once with its {@code Min-Expires} (RFC 3261 10.2.8), at most twice
 *       in one attempt; from then on we ask for that.
 *   <li><b>401 / 407</b>: a challenge is answered once per attempt, and never twice for the same nonce, unless it
 *       says {@code stale=true} (then up to {@value #MAX_CHALLENGES} times); any other challenge means our credentials
 *       were refused. The challenge is kept and answered ahead (the next nonce count, RFC 7616 3.4) in later
 *       REGISTERs, saving a round trip while the nonce lasts; a 401 to those is answered as a first challenge.
 *   <li><b>Failure</b> (refused credentials, any other final status, a transaction timeout, a transport error):
 *       {@code FAILED}, and the next attempt after {@link #backoff}: 30 s doubling up to 10 min, each shortened by up to
 *       25 % at random so that many instances do not retry in step; a {@code Retry-After} longer than that is honoured
 *       up to 1 h. A success resets the back-off.
 * </ul>
 */
public final class RegistrationMachine {

    /** Challenges answered in one attempt: the first, and stale ones after it. */
    public static final int MAX_CHALLENGES = 3;

    /** 423s followed in one attempt. */
    public static final int MAX_TOO_BRIEF = 2;

    public static final Duration MIN_REFRESH_MARGIN = Duration.ofSeconds(10);
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    /** The largest share of a back-off that jitter takes off. */
    public static final double JITTER = 0.25;

    private static final Idle IDLE = new Idle();

    private final String trunk;
    private final DoubleSupplier jitter;
    private final Supplier<String> cnonces;

    private RegistrationState state = RegistrationState.UNREGISTERED;
    /** The Expires we ask for: the configured one, raised by a 423's Min-Expires. */
    private int asking;

    private boolean started;
    private boolean removing;
    private boolean finished;

    private int lastStatus;
    private String lastReason = "no answer yet";
    private @Nullable Instant expiresAt;
    private @Nullable Instant nextAt;
    private long failures;
    private int consecutiveFailures;

    // this attempt
    private int challengesAnswered;
    private int tooBrief;

    // the challenge we answer ahead
    private DigestClient.@Nullable Challenge challenge;
    private boolean proxyChallenge;
    private long nonceCount;
    private String cnonce = "";
    /** The nonce the last REGISTER answered, or null when it carried no credentials. */
    private @Nullable String sentNonce;

    /**
     * @param trunk the trunk's name, for the status
     * @param expiresSeconds the lifetime to ask for
     * @param jitter numbers in [0, 1) that shorten back-offs ({@code ThreadLocalRandom.current()::nextDouble})
     * @param cnonces fresh client nonces ({@link DigestClient#newCnonce})
     */
    public RegistrationMachine(String trunk, int expiresSeconds, DoubleSupplier jitter, Supplier<String> cnonces) {
        if (expiresSeconds < 1) {
            throw new IllegalArgumentException("expires must be at least 1 s");
        }
        this.trunk = trunk;
        this.asking = expiresSeconds;
        this.jitter = jitter;
        this.cnonces = cnonces;
    }

    /** Registers for the first time (at start, and so again after every restart). */
    public RegistrationAction start(Instant now) {
        if (started) {
            return IDLE;
        }
        started = true;
        return attempt();
    }

    /** The time given by the last {@link Wait} has come: refresh, or retry after a failure. */
    public RegistrationAction due(Instant now) {
        if (!started || removing || finished || state == RegistrationState.REGISTERING) {
            return IDLE;
        }
        Instant at = nextAt;
        if (at != null && now.isBefore(at)) {
            return new Wait(at); // woken early
        }
        return attempt();
    }

    /** A final response to the REGISTER last sent (provisional ones are ignored). */
    public RegistrationAction onReply(Instant now, RegistrationReply reply) {
        int status = reply.status();
        if (finished || status < 200 || (state != RegistrationState.REGISTERING && !removing)) {
            return IDLE;
        }
        String reason = reply.reason();
        if (status == 401 || status == 407) {
            DigestClient.Challenge offered = reply.challenge();
            if (offered == null) {
                return failed(now, status, status + " " + reason + " (no digest challenge we can answer)", -1);
            }
            boolean answeredThisNonce = offered.nonce().equals(sentNonce);
            boolean answer = offered.stale()
                    ? challengesAnswered < MAX_CHALLENGES
                    : challengesAnswered == 0 && !answeredThisNonce;
            if (answer) {
                challengesAnswered++;
                challenge = offered;
                proxyChallenge = status == 407;
                nonceCount = 0;
                cnonce = cnonces.get();
                return send(removing ? 0 : asking);
            }
            challenge = null;
            return failed(now, status, status + " " + reason + " (our credentials were refused)", -1);
        }
        if (removing) {
            removed(status, status + " " + reason);
            return IDLE;
        }
        if (status < 300) {
            int granted = reply.contactExpires() >= 0
                    ? reply.contactExpires()
                    : reply.headerExpires() >= 0 ? reply.headerExpires() : asking;
            if (granted == 0) {
                return failed(now, status, status + " " + reason + " but the registrar bound us for 0 s", -1);
            }
            state = RegistrationState.REGISTERED;
            lastStatus = status;
            lastReason = status + " " + reason;
            consecutiveFailures = 0;
            expiresAt = now.plusSeconds(granted);
            Instant at = now.plus(refreshDelay(granted));
            nextAt = at;
            return new Wait(at);
        }
        if (status == 423 && reply.minExpires() > asking && tooBrief < MAX_TOO_BRIEF) {
            tooBrief++;
            asking = reply.minExpires();
            lastStatus = status;
            lastReason = status + " " + reason + " (asking " + asking + " s)";
            return send(asking);
        }
        return failed(now, status, status + " " + reason, reply.retryAfter());
    }

    /** No final response within the transaction's time (RFC 3261 17.1.2.2: Timer F). */
    public RegistrationAction onTimeout(Instant now) {
        if (finished || (state != RegistrationState.REGISTERING && !removing)) {
            return IDLE;
        }
        String reason = "no answer from the registrar (transaction timed out)";
        if (removing) {
            removed(408, reason);
            return IDLE;
        }
        return failed(now, 408, reason, -1);
    }

    /** The REGISTER could not be built or sent (the host does not resolve, a TCP connection refused ...). */
    public RegistrationAction onTransportError(Instant now, String detail) {
        if (finished || (state != RegistrationState.REGISTERING && !removing)) {
            return IDLE;
        }
        if (removing) {
            removed(0, detail);
            return IDLE;
        }
        return failed(now, 0, detail, -1);
    }

    /**
     * Stops for good: removes the binding ({@code Expires: 0}) when there may be one (registered, or a refresh in
     * flight), else finishes at once. Later events are ignored once {@link #finished()}.
     */
    public RegistrationAction stop(Instant now) {
        if (removing || finished) {
            return IDLE;
        }
        nextAt = null;
        Instant expires = expiresAt;
        boolean bound = state == RegistrationState.REGISTERED
                || (state == RegistrationState.REGISTERING && expires != null && expires.isAfter(now));
        if (!bound) {
            finished = true;
            state = RegistrationState.UNREGISTERED;
            expiresAt = null;
            return IDLE;
        }
        removing = true;
        challengesAnswered = 0;
        return send(0);
    }

    /** Whether {@link #stop} has run its course: the binding was removed, or there was none, or the removal failed. */
    public boolean finished() {
        return finished;
    }

    /** Whether an un-REGISTER is on its way (after {@link #stop}, until it is answered). */
    public boolean removing() {
        return removing;
    }

    /** Whether the un-REGISTER ended with a 2xx (meaningful once {@link #finished()}). */
    public boolean removedCleanly() {
        return finished && lastStatus >= 200 && lastStatus < 300;
    }

    public RegistrationState state() {
        return state;
    }

    public RegistrationStatus status() {
        return new RegistrationStatus(trunk, state, lastStatus, lastReason, expiresAt, nextAt, failures);
    }

    /**
     * When to refresh a binding granted for {@code grantedSeconds}: the grant minus 10 % of it, at least 10 s, at most
     * half the grant.
     */
    public static Duration refreshDelay(int grantedSeconds) {
        long grantMillis = grantedSeconds * 1000L;
        long margin = Math.max(MIN_REFRESH_MARGIN.toMillis(), grantMillis / 10);
        margin = Math.min(margin, grantMillis / 2);
        return Duration.ofMillis(grantMillis - margin);
    }

    /**
     * The wait after the {@code consecutiveFailures}-th failure in a row: 30 s, 60 s, 2 min, 4 min, 8 min, then 10 min,
     * shortened by {@code JITTER * random}.
     *
     * @param random a number in [0, 1)
     */
    public static Duration backoff(int consecutiveFailures, double random) {
        int doublings = Math.min(Math.max(consecutiveFailures - 1, 0), 10);
        long base = Math.min(FIRST_BACKOFF.toMillis() << doublings, MAX_BACKOFF.toMillis());
        double r = Math.min(Math.max(random, 0.0), 1.0);
        return Duration.ofMillis(Math.round(base * (1.0 - JITTER * r)));
    }

    // ------------------------------------------------------------------ internals

    private RegistrationAction attempt() {
        state = RegistrationState.REGISTERING;
        nextAt = null;
        challengesAnswered = 0;
        tooBrief = 0;
        return send(asking);
    }

    private Send send(int expires) {
        DigestClient.Challenge c = challenge;
        if (c == null) {
            sentNonce = null;
            return new Send(expires, null);
        }
        nonceCount++;
        sentNonce = c.nonce();
        return new Send(expires, new DigestAnswer(c, proxyChallenge, nonceCount, cnonce));
    }

    private RegistrationAction failed(Instant now, int status, String reason, int retryAfterSeconds) {
        if (removing) {
            removed(status, reason);
            return IDLE;
        }
        failures++;
        consecutiveFailures++;
        state = RegistrationState.FAILED;
        lastStatus = status;
        lastReason = reason;
        expiresAt = null;
        Duration wait = backoff(consecutiveFailures, jitter.getAsDouble());
        if (retryAfterSeconds > 0) {
            Duration asked = Duration.ofSeconds(retryAfterSeconds);
            if (asked.compareTo(MAX_RETRY_AFTER) > 0) {
                asked = MAX_RETRY_AFTER;
            }
            if (asked.compareTo(wait) > 0) {
                wait = asked;
            }
        }
        Instant at = now.plus(wait);
        nextAt = at;
        return new Wait(at);
    }

    private void removed(int status, String reason) {
        finished = true;
        removing = false;
        state = RegistrationState.UNREGISTERED;
        lastStatus = status;
        lastReason = reason;
        expiresAt = null;
        nextAt = null;
    }
}
