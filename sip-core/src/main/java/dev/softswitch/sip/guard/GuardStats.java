package dev.softswitch.sip.guard;

import java.util.Map;

/**
 * The guard's counters since start, for {@code /metrics}.
 *
 * @param malformed messages the pre-parse check or the stack's parser refused, by rule ({@code duplicate_header},
 *     {@code content_length}, {@code version} ...)
 * @param rateLimited requests dropped because their address went over its request rate (each such excess bans it)
 * @param bannedDrops requests dropped because their address was banned
 * @param bans addresses banned, for request rate or failed authentications
 * @param authFailures failed authentications (INVITE or REGISTER refused with 403)
 * @param scannerDrops requests dropped for a scanner's User-Agent
 * @param hiddenDrops INVITEs without credentials left unanswered in hidden mode
 * @param listenerErrors errors thrown by the SIP listener that the guard kept from killing a stack thread
 * @param bannedNow addresses banned at this moment
 */
public record GuardStats(
        Map<String, Long> malformed,
        long rateLimited,
        long bannedDrops,
        long bans,
        long authFailures,
        long scannerDrops,
        long hiddenDrops,
        long listenerErrors,
        int bannedNow) {

    public GuardStats {
        malformed = Map.copyOf(malformed);
    }
}
