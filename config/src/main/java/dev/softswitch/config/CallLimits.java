package dev.softswitch.config;

/**
 * How many calls may be up at once and how many may start each second; beyond either, a call is answered 503 with
 * {@code Retry-After}. 0 means no limit.
 *
 * @param maxConcurrentCalls calls up at the same time, or 0
 * @param maxCallsPerSecond new calls per second, or 0
 */
public record CallLimits(int maxConcurrentCalls, int maxCallsPerSecond) {

    /** No limit beyond what the RTP port range allows. */
    public static final CallLimits UNLIMITED = new CallLimits(0, 0);

    public CallLimits {
        if (maxConcurrentCalls < 0 || maxCallsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "limits are 0 (none) or more: " + maxConcurrentCalls + ", " + maxCallsPerSecond);
        }
    }
}
