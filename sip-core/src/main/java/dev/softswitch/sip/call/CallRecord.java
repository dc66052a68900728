package dev.softswitch.sip.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * What a user needs to know about one call once it has ended: who called whom, through which trunk and assistant,
 * when it started, was answered and ended, who ended it and why, and how its media went. Plain values only (no
 * JAIN-SIP type), written as one JSON line per call by the app's call-record writer.
 *
 * <p>Holds no secret: a SIP URI's password part ({@code sip:user:password@host}, which is where a Request-URI of the
 * form {@code {assistantId}:{apiKey}} would put its key) is removed from {@code from} and {@code to} on construction,
 * so neither {@link #toString()} nor the record file can carry it.
 *
 * <p>Times are not checked against each other: a wall clock stepped back during a call must not lose its record.
 * {@link #durationMillis()} is never negative instead.
 *
 * @param callId the softswitch's id for the call
 * @param sipCallId the SIP {@code Call-ID} header of the dialog; empty for a placed call that never sent its INVITE
 *     (refused by a toll-fraud cap, no RTP port)
 * @param direction whether the call came in or was placed
 * @param from the caller's URI (From header), password part removed
 * @param to the callee's URI (To header), password part removed
 * @param trunk the configured trunk the call used, or null
 * @param assistant the id of the assistant that answered or placed the call, or null
 * @param codec the negotiated codec's SDP name (e.g. {@code PCMU}), or null when none was agreed
 * @param started when the INVITE was received or sent
 * @param answered when the call was answered (200 OK), or null when it never was
 * @param ended when the call ended
 * @param endedBy which side ended the call
 * @param reason a short machine label, lower snake case, e.g. {@code caller_bye} or {@code no_common_codec}
 * @param detail a human sentence about the end, or null; never a secret
 * @param sipStatus the final status of the INVITE (200 when answered; 486, 487, 488, ... otherwise)
 * @param rtp media statistics, or null when no media session was set up
 * @param jitterBuffer what the jitter buffer did to the caller's audio, or null when it was not used (no media, packets
 *     other than 20 ms, or a provider call, which has none)
 * @param dtmfCount DTMF digits received (RFC 4733 events or SIP INFO)
 * @param recording path of the call's WAV recording, or null
 */
@NullMarked
public record CallRecord(
        String callId,
        String sipCallId,
        Direction direction,
        String from,
        String to,
        @Nullable String trunk,
        @Nullable String assistant,
        @Nullable String codec,
        Instant started,
        @Nullable Instant answered,
        Instant ended,
        EndedBy endedBy,
        String reason,
        @Nullable String detail,
        int sipStatus,
        @Nullable RtpStats rtp,
        @Nullable JitterBufferStats jitterBuffer,
        int dtmfCount,
        @Nullable String recording) {

    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]*");

    /** Whether the softswitch received the call or placed it. */
    public enum Direction {
        INBOUND,
        OUTBOUND;

        /** {@code inbound} or {@code outbound}, as written in the record. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The side that ended the call. */
    public enum EndedBy {
        /** The remote party that sent the INVITE (inbound) hung up or cancelled. */
        CALLER,
        /** The softswitch ended it: a timeout, a failure, a limit, a shutdown. */
        SOFTSWITCH,
        /** The assistant hung up or failed. */
        ASSISTANT,
        /** The party the softswitch called (outbound) hung up or rejected the call. */
        CALLEE;

        /** {@code caller}, {@code softswitch}, {@code assistant} or {@code callee}, as written in the record. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * RTP statistics of the call's media session, counted over its whole life.
     *
     * @param packetsSent RTP packets sent
     * @param packetsReceived RTP packets received and accepted
     * @param packetsLost cumulative packets lost as RFC 3550 6.4.1 counts it; may be negative when duplicates arrived
     * @param jitterMillis the interarrival jitter estimate (RFC 3550 6.4.1) at the end of the call, in milliseconds
     * @param rttMillis the last round-trip time RTCP measured (RFC 3550 6.4.1), in milliseconds; NaN when unknown
     */
    public record RtpStats(
            long packetsSent, long packetsReceived, long packetsLost, double jitterMillis, double rttMillis) {
        public RtpStats {
            if (packetsSent < 0 || packetsReceived < 0) {
                throw new IllegalArgumentException(
                        "packet counts must not be negative: sent " + packetsSent + ", received " + packetsReceived);
            }
            if (!Double.isFinite(jitterMillis) || jitterMillis < 0) {
                throw new IllegalArgumentException("jitter must be a finite non-negative number: " + jitterMillis);
            }
            if (!Double.isNaN(rttMillis) && (!Double.isFinite(rttMillis) || rttMillis < 0)) {
                throw new IllegalArgumentException(
                        "rtt must be NaN (unknown) or a finite non-negative number: " + rttMillis);
            }
        }

        /** Counts and jitter without a round-trip time. */
        public RtpStats(long packetsSent, long packetsReceived, long packetsLost, double jitterMillis) {
            this(packetsSent, packetsReceived, packetsLost, jitterMillis, Double.NaN);
        }

        /** Whether RTCP measured a round-trip time. */
        public boolean hasRtt() {
            return !Double.isNaN(rttMillis);
        }
    }

    /**
     * What the jitter buffer did to the caller's audio over the call: the delay it settled on, and the frames it dropped,
     * concealed, stretched or merged to keep that delay. Tells an operator whether choppy audio came from the network
     * (late, lost) or from the buffer adapting (stretched, merged, resets).
     *
     * @param delayMillis how long a frame that took the network's fastest path waited before it was played, at the end
     * @param late frames dropped because they came after their play-out time
     * @param lost frames concealed because theirs was missing at its play-out time
     * @param stretched frames of concealment played to make the delay a frame longer
     * @param merged times two frames were played as one to make the delay a frame shorter
     * @param reordered frames that came after one with a higher sequence number (late ones included)
     * @param duplicates frames dropped because the same frame was already buffered or played
     * @param resets times the buffer started over (a silence of more than 200 ms, a sender restart, a timestamp jump)
     */
    public record JitterBufferStats(
            int delayMillis,
            long late,
            long lost,
            long stretched,
            long merged,
            long reordered,
            long duplicates,
            long resets) {
        public JitterBufferStats {
            if (delayMillis < 0
                    || late < 0
                    || lost < 0
                    || stretched < 0
                    || merged < 0
                    || reordered < 0
                    || duplicates < 0
                    || resets < 0) {
                throw new IllegalArgumentException("jitter buffer delay and counts must not be negative: " + delayMillis
                        + " ms, late " + late + ", lost " + lost + ", stretched " + stretched + ", merged " + merged
                        + ", reordered " + reordered + ", duplicates " + duplicates + ", resets " + resets);
            }
        }
    }

    public CallRecord {
        requireText(callId, "callId");
        Objects.requireNonNull(direction, "direction");
        // A placed call refused or failed before its INVITE was built never had a Call-ID: empty, and only then.
        if (!(sipCallId.isEmpty() && direction == Direction.OUTBOUND)) {
            requireText(sipCallId, "sipCallId");
        }
        from = withoutPassword(requireText(from, "from"));
        to = withoutPassword(requireText(to, "to"));
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(endedBy, "endedBy");
        Objects.requireNonNull(reason, "reason");
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("reason must be a lower snake case label: '" + reason + "'");
        }
        if (sipStatus < 200 || sipStatus > 699) {
            throw new IllegalArgumentException("sipStatus must be a final status (200-699): " + sipStatus);
        }
        if (dtmfCount < 0) {
            throw new IllegalArgumentException("dtmfCount must not be negative: " + dtmfCount);
        }
    }

    /** Talk time: from answer to end, in milliseconds; 0 when the call was never answered. */
    public long durationMillis() {
        if (answered == null) {
            return 0;
        }
        return Math.max(0, Duration.between(answered, ended).toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * Removes the password of a {@code sip:} or {@code sips:} URI's user part (RFC 3261 19.1.1:
     * {@code sip:user:password@host}), wherever the URI sits in the value (a bare URI or a name-addr). A {@code ':'} may
     * not appear unescaped in the user part, so the first one before {@code '@'} starts the password.
     */
    static String withoutPassword(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("sips:");
        int userStart = scheme >= 0 ? scheme + 5 : -1;
        if (scheme < 0) {
            scheme = lower.indexOf("sip:");
            userStart = scheme >= 0 ? scheme + 4 : -1;
        }
        if (userStart < 0) {
            return uri;
        }
        int at = -1;
        int colon = -1;
        for (int i = userStart; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '@') {
                at = i;
                break;
            }
            if (c == '>' || c == ';' || c == '?' || c == '/' || Character.isWhitespace(c)) {
                break;
            }
            if (c == ':' && colon < 0) {
                colon = i;
            }
        }
        if (at < 0 || colon < 0) {
            return uri;
        }
        return uri.substring(0, colon) + uri.substring(at);
    }

    /** Assembles a {@link CallRecord}; {@link #build()} validates it. */
    public static final class Builder {
        private @Nullable String callId;
        private @Nullable String sipCallId;
        private @Nullable Direction direction;
        private @Nullable String from;
        private @Nullable String to;
        private @Nullable String trunk;
        private @Nullable String assistant;
        private @Nullable String codec;
        private @Nullable Instant started;
        private @Nullable Instant answered;
        private @Nullable Instant ended;
        private @Nullable EndedBy endedBy;
        private @Nullable String reason;
        private @Nullable String detail;
        private int sipStatus;
        private @Nullable RtpStats rtp;
        private @Nullable JitterBufferStats jitterBuffer;
        private int dtmfCount;
        private @Nullable String recording;

        private Builder() {}

        public Builder callId(String callId) {
            this.callId = callId;
            return this;
        }

        public Builder sipCallId(String sipCallId) {
            this.sipCallId = sipCallId;
            return this;
        }

        public Builder direction(Direction direction) {
            this.direction = direction;
            return this;
        }

        public Builder from(String from) {
            this.from = from;
            return this;
        }

        public Builder to(String to) {
            this.to = to;
            return this;
        }

        public Builder trunk(@Nullable String trunk) {
            this.trunk = trunk;
            return this;
        }

        public Builder assistant(@Nullable String assistant) {
            this.assistant = assistant;
            return this;
        }

        public Builder codec(@Nullable String codec) {
            this.codec = codec;
            return this;
        }

        public Builder started(Instant started) {
            this.started = started;
            return this;
        }

        public Builder answered(@Nullable Instant answered) {
            this.answered = answered;
            return this;
        }

        public Builder ended(Instant ended) {
            this.ended = ended;
            return this;
        }

        public Builder endedBy(EndedBy endedBy) {
            this.endedBy = endedBy;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder detail(@Nullable String detail) {
            this.detail = detail;
            return this;
        }

        public Builder sipStatus(int sipStatus) {
            this.sipStatus = sipStatus;
            return this;
        }

        /** Reason, detail and SIP status of a call that failed, taken from its {@link CallFailure}. */
        public Builder failure(CallFailure failure) {
            this.reason = failure.label();
            this.detail = failure.detail();
            this.sipStatus = failure.sipStatus();
            return this;
        }

        public Builder rtp(@Nullable RtpStats rtp) {
            this.rtp = rtp;
            return this;
        }

        public Builder jitterBuffer(@Nullable JitterBufferStats jitterBuffer) {
            this.jitterBuffer = jitterBuffer;
            return this;
        }

        public Builder dtmfCount(int dtmfCount) {
            this.dtmfCount = dtmfCount;
            return this;
        }

        public Builder recording(@Nullable String recording) {
            this.recording = recording;
            return this;
        }

        /**
         * The record.
         *
         * @throws NullPointerException when a required field was not set
         * @throws IllegalArgumentException when a field is out of range (see {@link CallRecord})
         */
        @SuppressWarnings("NullAway") // the canonical constructor rejects the nulls with a message
        public CallRecord build() {
            return new CallRecord(
                    callId,
                    sipCallId,
                    direction,
                    from,
                    to,
                    trunk,
                    assistant,
                    codec,
                    started,
                    answered,
                    ended,
                    endedBy,
                    reason,
                    detail,
                    sipStatus,
                    rtp,
                    jitterBuffer,
                    dtmfCount,
                    recording);
        }
    }
}
