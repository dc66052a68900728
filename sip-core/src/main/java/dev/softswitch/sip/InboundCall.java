package dev.softswitch.sip;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.rtp.session.MediaSession;
import dev.softswitch.sdp.Negotiation;
import dev.softswitch.sip.admission.CallLimiter;
import dev.softswitch.sip.call.CallRecord;
import dev.softswitch.sip.call.CallState;
import dev.softswitch.sip.call.IllegalTransitionException;
import dev.softswitch.sip.call.SerialExecutor;
import dev.softswitch.sip.call.SessionTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;

/**
 * One inbound call's state. Every field is read and written only by tasks on {@link #executor}, one at a time, so
 * nothing here needs a lock; SIP stack threads only hand events to the executor.
 */
final class InboundCall {

    final String id;
    final String sipCallId;
    final SerialExecutor executor;
    final ServerTransaction inviteTx;
    final Request invite;
    final String toTag;
    final String transport;
    final Instant created;

    private CallState state = CallState.INITIALIZING;

    @Nullable
    Dialog dialog;

    @Nullable
    MediaSession media;

    @Nullable
    QueueMediaPort port;

    @Nullable
    Future<?> assistant;

    @Nullable
    ScheduledFuture<?> answerTimer;

    @Nullable
    String assistantId;
    /** Whether the INVITE came from this host: then a loopback media address in its offers is expected. */
    boolean fromLoopback;
    /** The trunk the call came in on, when admitted as one. */
    @Nullable
    String trunk;
    /** The final status we answered the INVITE with (200 when answered), 0 until then. */
    int finalStatus;
    /** The second leg of a transfer the caller's side would not take by REFER: rings, then is bridged to this call. */
    @Nullable
    OutboundCall secondLeg;
    /** The blind transfer the assistant asked for, while it is under way. */
    Transfers.@Nullable Pending transfer;
    /** Where this call's recording goes, when its assistant records calls. */
    @Nullable
    String recording;
    /** Writes {@link #recording} while the call is up; closed (off this executor) when it ends. */
    @Nullable
    CallRecorder recorder;

    @Nullable
    Instant answered;
    /** 200 OK sent; the INVITE transaction can no longer take a final response. */
    boolean finalResponseSent;
    /** The assistant hung up between our 200 and the caller's ACK: BYE as soon as the ACK arrives. */
    @Nullable
    String byeAfterAck;

    @Nullable
    String endReason;
    /** Our SDP session id and version (RFC 3264 8: the version grows with every new offer or answer we send). */
    final long sdpSessionId;

    long sdpVersion = 1;
    /** What offer/answer settled: the codec stays for the call; address and direction may change on re-INVITE. */
    Negotiation.@Nullable Accepted negotiated;
    /** The longest the call may last once answered (zero: no limit), and the timer that ends it then. */
    Duration maxDuration = Duration.ZERO;

    @Nullable
    ScheduledFuture<?> durationTimer;
    /** The session timer the caller asked for (RFC 4028), and the watchdog that ends the call without refreshes. */
    SessionTimer.Decision sessionTimer = new SessionTimer.Decision.None();

    @Nullable
    ScheduledFuture<?> sessionTimerTask;
    /** The call's hold on the call limits, given back when it ends. */
    CallLimiter.@Nullable Permit permit;
    /** Our session refresh (RFC 4028) while it awaits its answer. */
    javax.sip.@Nullable ClientTransaction refreshTx;
    /** We sent an offer in a 2xx to a re-INVITE without SDP; the answer comes in the ACK. */
    boolean offerInFlight;

    InboundCall(
            String id,
            String sipCallId,
            SerialExecutor executor,
            ServerTransaction inviteTx,
            Request invite,
            String toTag,
            String transport,
            Instant created) {
        this.id = id;
        this.sipCallId = sipCallId;
        this.executor = executor;
        this.inviteTx = inviteTx;
        this.invite = invite;
        this.toTag = toTag;
        this.transport = transport;
        this.created = created;
        this.sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE >> 2);
    }

    CallState state() {
        return state;
    }

    /**
     * Moves to {@code next} as the transition table allows.
     *
     * @throws IllegalTransitionException when it does not; the state stays as it was
     */
    void moveTo(CallState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalTransitionException(state, next);
        }
        state = next;
    }

    /**
     * The call's record, at its end.
     *
     * @param reason the words the log used ({@code detail})
     * @param result the label ({@code reason}), such as {@code completed} or {@code media_timeout}
     */
    CallRecord record(
            Instant ended,
            String reason,
            String result,
            CallRecord.EndedBy by,
            MediaEnd media,
            @Nullable QueueMediaPort port) {
        Negotiation.Accepted accepted = negotiated;
        return CallRecord.builder()
                .callId(id)
                .sipCallId(sipCallId)
                .direction(CallRecord.Direction.INBOUND)
                .from(SipRequests.uriOf(((FromHeader) invite.getHeader(FromHeader.NAME))
                        .getAddress()
                        .getURI()))
                .to(SipRequests.uriOf(invite.getRequestURI()))
                .trunk(trunk)
                .assistant(assistantId)
                .codec(
                        accepted == null || answered == null
                                ? null
                                : accepted.codec().encodingName())
                .started(created)
                .answered(answered)
                .ended(ended)
                .endedBy(by)
                .reason(result)
                .detail(reason)
                .sipStatus(finalStatus == 0 ? 500 : finalStatus)
                .rtp(media.rtp(answered != null))
                .jitterBuffer(media.jitterBuffer(answered != null))
                .dtmfCount(port == null ? 0 : (int) port.dtmfCount())
                .recording(recording)
                .build();
    }

    Duration talkTime(Instant now) {
        return answered == null ? Duration.ZERO : Duration.between(answered, now);
    }
}
