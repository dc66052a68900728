package dev.softswitch.sip;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.rtp.session.MediaSession;
import dev.softswitch.sdp.Negotiation;
import dev.softswitch.sdp.SessionDescription;
import dev.softswitch.sip.call.CallState;
import dev.softswitch.sip.call.SerialExecutor;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;

/**
 * A call the softswitch places. Its public side ({@link #status()}, {@link #ended()}, {@link #hangUp()}) is safe from
 * any thread; its fields are read and written only by tasks on its serial executor, as for inbound calls.
 */
public final class OutboundCall {

    final String id;
    final DialRequest request;
    final SerialExecutor executor;
    final Instant created;
    final Consumer<DialStatus> progress;
    private final CompletableFuture<DialStatus> ended = new CompletableFuture<>();
    private final Runnable onHangUp;
    private volatile DialStatus status;

    CallState state = CallState.INITIALIZING;
    /** The trunk's slot this call holds (toll-fraud caps), given back when it ends; null once given back. */
    dev.softswitch.sip.outbound.OutboundGuard.@Nullable Admitted slot;
    /** Why the toll-fraud caps refused the call, set before {@link Dialer#dial} returns; null when admitted. */
    volatile dev.softswitch.sip.outbound.@Nullable OutboundRefusal refusal;
    /** The assistant that talks instead of the request's (a transfer's bridge), or null. */
    dev.softswitch.assistant.@Nullable Assistant assistantOverride;

    @Nullable
    String sipCallId;
    /** The INVITE last sent (the first, or the one answering a challenge) and its transaction. */
    @Nullable
    Request invite;

    @Nullable
    ClientTransaction inviteTx;

    @Nullable
    Dialog dialog;
    /** The ACK we sent for the 200 OK, sent again when the 200 is retransmitted. */
    @Nullable
    Request ack;

    int authAttempts;
    long nonceCount;

    @Nullable
    String cnonce;
    /** A provisional response came: a CANCEL may go now (RFC 3261 9.1). */
    boolean provisional;
    /** We want to cancel, and why: the outcome it will end with; sent as soon as a provisional response allows. */
    DialStatus.@Nullable Outcome cancelAs;

    boolean cancelSent;
    int lastStatus;
    String lastReason = "";

    @Nullable
    MediaSession media;

    @Nullable
    SessionDescription offer;

    Negotiation.@Nullable Accepted negotiated;
    /** Media runs (on early media or the answer). */
    boolean mediaStarted;

    @Nullable
    QueueMediaPort port;

    @Nullable
    Future<?> assistant;

    @Nullable
    CallRecorder recorder;

    @Nullable
    String recording;

    @Nullable
    ScheduledFuture<?> ringTimer;
    /** The session timer the answer set (RFC 4028), our refresh or watchdog task, and our refresh in flight. */
    dev.softswitch.sip.call.@Nullable SessionTimer sessionTimer;

    boolean updateAllowed;

    @Nullable
    ScheduledFuture<?> sessionTimerTask;

    @Nullable
    ClientTransaction refreshTx;

    @Nullable
    ScheduledFuture<?> durationTimer;

    @Nullable
    Instant answered;
    /** Our SDP's version: each new description we send is the previous plus one (RFC 3264 8). */
    long sdpVersion = 1;

    final long sdpSessionId = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE >> 2);

    OutboundCall(
            String id,
            DialRequest request,
            SerialExecutor executor,
            Instant created,
            Consumer<DialStatus> progress,
            Runnable onHangUp) {
        this.id = id;
        this.request = request;
        this.executor = executor;
        this.created = created;
        this.progress = progress;
        this.onHangUp = onHangUp;
        this.status = new DialStatus(id, DialStatus.Phase.TRYING, null, 0, "dialling", created, null, null);
    }

    /** The softswitch's id for the call (on its log lines, in its record, in the API). */
    public String id() {
        return id;
    }

    /** What was asked. */
    public DialRequest request() {
        return request;
    }

    /**
     * Why the call was not placed, when a trunk's toll-fraud cap refused it (it then ends at once, outcome
     * {@code refused}, without an INVITE); empty when it was placed. Known as soon as {@code dial} returns.
     */
    public java.util.Optional<dev.softswitch.sip.outbound.OutboundRefusal> refusal() {
        return java.util.Optional.ofNullable(refusal);
    }

    /** Where the call stands now. */
    public DialStatus status() {
        return status;
    }

    /** Completes with the final status once the call has ended, however it ended. */
    public CompletableFuture<DialStatus> ended() {
        return ended;
    }

    /** Ends the call: cancels it while it rings, sends BYE once answered. Does nothing once it has ended. */
    public void hangUp() {
        onHangUp.run();
    }

    /** Publishes a new status (call executor only). */
    void publish(DialStatus next) {
        status = next;
        try {
            progress.accept(next);
        } finally {
            if (next.isEnded()) {
                ended.complete(next);
            }
        }
    }
}
