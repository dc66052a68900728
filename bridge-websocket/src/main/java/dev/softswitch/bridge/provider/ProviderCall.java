package dev.softswitch.bridge.provider;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One call through a provider, as the softswitch follows it: placed (outbound) or announced (inbound), ringing,
 * answered once its media socket starts, ended. Safe from any thread (one lock); every change is a method that says
 * what happened. It ends once, and that end makes its record.
 */
public final class ProviderCall {

    /** How far the call got. */
    public enum Phase {
        QUEUED,
        RINGING,
        ANSWERED,
        ENDED
    }

    /** How it ended; the names are those of the SIP side's dial outcomes. */
    public enum Outcome {
        ANSWERED,
        BUSY,
        NO_ANSWER,
        REJECTED,
        CANCELLED,
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where the call stands.
     *
     * @param sipStatus the SIP status its state corresponds to (0 before any, 180 ringing, 200 answered, 486 busy, ...)
     */
    public record Status(
            String callId,
            Phase phase,
            @Nullable Outcome outcome,
            int sipStatus,
            String detail,
            Instant started,
            @Nullable Instant answered,
            @Nullable Instant ended) {}

    private final String id;
    private final String provider;
    private final String direction;
    private final String from;
    private final String to;
    private final String assistant;
    private final Instant started;
    private final Clock clock;

    private String providerCallId = "";
    private Phase phase = Phase.QUEUED;
    private @Nullable Outcome outcome;
    private int sipStatus;
    private String detail = "";
    private @Nullable Instant answered;
    private @Nullable Instant ended;
    private @Nullable String codec;
    private boolean media;
    private boolean hangUpAsked;
    private @Nullable Runnable hangUp;
    private final java.util.List<Runnable> endListeners = new java.util.ArrayList<>();

    ProviderCall(String id, String provider, String direction, String from, String to, String assistant, Clock clock) {
        this.id = id;
        this.provider = provider;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.assistant = assistant;
        this.clock = clock;
        this.started = clock.instant();
    }

    public String id() {
        return id;
    }

    public String provider() {
        return provider;
    }

    public String direction() {
        return direction;
    }

    public String to() {
        return to;
    }

    public String assistant() {
        return assistant;
    }

    public synchronized String providerCallId() {
        return providerCallId;
    }

    public synchronized Status status() {
        return new Status(id, phase, outcome, sipStatus, detail, started, answered, ended);
    }

    /**
     * Ends the call: its media socket is closed (the provider then ends the call), or, before it has one, the
     * provider's REST API is asked to. Does nothing once ended. Never blocks.
     */
    public void hangUp() {
        Runnable action;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            hangUpAsked = true;
            action = hangUp;
        }
        if (action != null) {
            action.run();
        }
    }

    /** Runs {@code listener} once the call has ended (at once when it has). */
    public void whenEnded(Runnable listener) {
        synchronized (this) {
            if (phase != Phase.ENDED) {
                endListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    /** Tells the end listeners; called once, after {@link #end}, outside the lock. */
    void fireEnded() {
        java.util.List<Runnable> listeners;
        synchronized (this) {
            listeners = java.util.List.copyOf(endListeners);
            endListeners.clear();
        }
        listeners.forEach(Runnable::run);
    }

    synchronized boolean hangUpAsked() {
        return hangUpAsked;
    }

    /** What {@link #hangUp} does now (close the socket; before that, a REST call). */
    synchronized void onHangUp(Runnable action) {
        this.hangUp = action;
    }

    /** The provider's id for the call; the first one given stays (the REST answer's, then the stream's agrees). */
    synchronized boolean providerCallId(String providerCallId) {
        if (providerCallId.isEmpty() || !this.providerCallId.isEmpty()) {
            return false;
        }
        this.providerCallId = providerCallId;
        return true;
    }

    synchronized void ringing() {
        if (phase == Phase.QUEUED) {
            phase = Phase.RINGING;
            sipStatus = 180;
            detail = "ringing";
        }
    }

    /** The media socket started: the call is answered and the assistant talks. */
    synchronized void mediaStarted(String codec) {
        if (phase != Phase.ENDED) {
            this.media = true;
            this.codec = codec;
            phase = Phase.ANSWERED;
            sipStatus = 200;
            detail = "answered";
            answered = clock.instant();
        }
    }

    synchronized boolean hasMedia() {
        return media;
    }

    /**
     * The call ended; the record to write, or null when it had ended already.
     *
     * @param endedBy {@code caller}, {@code callee}, {@code assistant} or {@code softswitch}
     */
    synchronized @Nullable ProviderCallRecord end(
            Outcome how, String endedBy, String reason, String why, int status, int dtmfCount) {
        if (phase == Phase.ENDED) {
            return null;
        }
        phase = Phase.ENDED;
        outcome = answered != null ? Outcome.ANSWERED : how;
        sipStatus = status;
        detail = why;
        ended = clock.instant();
        return new ProviderCallRecord(
                id,
                provider,
                providerCallId,
                direction,
                from.isEmpty() ? "unknown" : from,
                to.isEmpty() ? "unknown" : to,
                assistant,
                codec,
                started,
                answered,
                ended,
                endedBy,
                reason,
                why,
                status,
                dtmfCount);
    }

    @Override
    public String toString() {
        return provider + " call " + id;
    }
}
