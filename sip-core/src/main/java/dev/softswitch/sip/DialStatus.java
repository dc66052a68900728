package dev.softswitch.sip;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a placed call stands: its phase, and once it has ended, how.
 *
 * @param callId the softswitch's id for the call
 * @param phase how far it got
 * @param outcome how it ended, null until {@link Phase#ENDED}
 * @param sipStatus the last final status of the INVITE (200 when answered), the last provisional one before that, 0
 *     before any
 * @param detail a human sentence: the reason phrase or what went wrong; never a secret
 * @param started when the INVITE was sent
 * @param answered when the 200 OK came, or null
 * @param ended when the call ended, or null
 */
public record DialStatus(
        String callId,
        Phase phase,
        @Nullable Outcome outcome,
        int sipStatus,
        String detail,
        Instant started,
        @Nullable Instant answered,
        @Nullable Instant ended) {

    public DialStatus {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(started, "started");
    }

    /** How far a placed call got. */
    public enum Phase {
        /** INVITE sent, nothing but 100 Trying back. */
        TRYING,
        /** 180 (or another provisional answer without SDP) came. */
        RINGING,
        /** A provisional answer with SDP came: the callee's network plays audio (ringback, announcements). */
        EARLY_MEDIA,
        /** Answered: the assistant talks. */
        ANSWERED,
        /** Over; {@link #outcome} says how. */
        ENDED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** How a placed call ended. Labels are those of the call record's {@code reason} for calls never answered. */
    public enum Outcome {
        /** It was answered (and has ended since). */
        ANSWERED,
        /** 486 Busy Here, 600 Busy Everywhere. */
        BUSY,
        /** Nobody answered within the ring timeout (we cancelled), or 408/480. */
        NO_ANSWER,
        /** Refused: 403, 404, 488, 603 and the other final failures. */
        REJECTED,
        /** No answer from the far end's SIP at all, a transport error, or 502/503/504. */
        UNREACHABLE,
        /** 401 or 407 and we had no credentials, or the far end refused ours. */
        AUTH_FAILED,
        /** Hung up by us (the dial was stopped) before the answer. */
        CANCELLED,
        /** The softswitch could not place it (no media port, unknown assistant, a fault). */
        FAILED,
        /** Not placed: a toll-fraud cap of its trunk refused it (a number not allowed, too many calls); no INVITE. */
        REFUSED;

        /** {@code answered}, {@code busy}, {@code no_answer}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome of a final failure status to an INVITE we sent (RFC 3261 21). */
        public static Outcome ofStatus(int status) {
            return switch (status) {
                case 486, 600 -> BUSY;
                case 408, 480 -> NO_ANSWER;
                case 401, 407 -> AUTH_FAILED;
                case 502, 503, 504 -> UNREACHABLE;
                default -> status >= 200 && status < 300 ? ANSWERED : REJECTED;
            };
        }
    }

    /** Whether the call is over. */
    public boolean isEnded() {
        return phase == Phase.ENDED;
    }

    /** How long it talked: from the answer to the end (or {@code now}). */
    public Duration talkTime(Instant now) {
        if (answered == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(answered, ended != null ? ended : now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
