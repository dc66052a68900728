package dev.softswitch.sip.registrar;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a user can be reached, until when, and from which registration (Call-ID and CSeq order updates).
 */
public record Binding(String contact, Instant expires, String callId, long cseq) {

    /** Seconds left, for the {@code expires} parameter of the 200 OK's Contact. */
    public long secondsLeft(Instant now) {
        return Math.max(0, Duration.between(now, expires).toSeconds());
    }
}
