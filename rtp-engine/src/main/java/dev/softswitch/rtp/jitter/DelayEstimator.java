package dev.softswitch.rtp.jitter;

/**
 * Works out how long frames should wait. Each arrival's transit (arrival time minus the frame's media time) is compared
 * with the fastest transit of the last ~2.5 s; the 95th percentile of these relative delays over the last ~5 s is the
 * target, clamped to [10, 200] ms and 30 ms until a second of arrivals has been seen. Late frames that arrive together
 * (a stall on the path or in a sender, released at once) are one late event. A late event that follows another within
 * 10 s raises a floor under the target at once. The floor holds while late frames keep coming: for twice the
 * time between the last two events (1 to 2 s) after the last one, so a burst of late frames is covered while it lasts.
 * Then it sinks, halving every 250 ms, so a one-off cluster of late frames (a pause of this host) does not hold every
 * frame back for long after. It also keeps the RFC 3550 A.8 interarrival jitter for the statistics.
 */
final class DelayEstimator {

    /** Before a second of arrivals is known: a frame more than the minimum. */
    static final int INITIAL_MS = 30;
    /**
     * The least target: what covers the jitter of a clean path (a LAN, loopback, a busy host's scheduling) without
     * waiting a whole frame for it. Jitter beyond it is measured and raises the target.
     */
    static final int MIN_MS = 10;

    static final int MAX_MS = 200;
    static final long NANOS_PER_MS = 1_000_000L;

    private static final double PERCENTILE = 0.95;
    /** Relative delays kept for the percentile: about 5 s of 20 ms frames. */
    private static final int HISTORY = 256;
    /** Arrivals needed before the percentile replaces {@link #INITIAL_MS}: about 1 s. */
    private static final int MIN_SAMPLES = 50;
    /** Transits over which the fastest is taken: about 2.5 s. */
    private static final int TRANSIT_WINDOW = 128;

    private static final int MAX_BUCKET_MS = 255;
    /** What a late frame asks for on top of the delay that would just have saved it. */
    private static final int LATE_MARGIN_MS = 5;
    /** The late floor holds for at least this long after the last late frame... */
    private static final long LATE_HOLD_MIN_NANOS = 1_000 * NANOS_PER_MS;
    /** ...and at most this long: a host that pauses every few seconds must not hold every frame back for good. */
    private static final long LATE_HOLD_MAX_NANOS = 2_000 * NANOS_PER_MS;
    /** Then it halves each this long. */
    private static final long LATE_HALF_LIFE_NANOS = 250 * NANOS_PER_MS;

    private final long[] transits = new long[TRANSIT_WINDOW];
    private int transitCount;
    private int transitNext;
    private long minTransit;

    private final int[] histogram = new int[MAX_BUCKET_MS + 1];
    private final int[] recent = new int[HISTORY];
    private int recentCount;
    private int recentNext;

    private long previousTransit;
    private boolean hasPrevious;
    private double jitterNanos;

    /** Late events this close together are a pattern the target must follow, not a one-off. */
    private static final long RECURRING_LATE_NANOS = 10_000 * NANOS_PER_MS;
    /**
     * A late frame that arrives this soon after the one before came with it: frames held up by one stall are released
     * together, microseconds apart, where a path whose delay stepped up delivers its late frames a frame apart.
     */
    static final long SAME_EVENT_NANOS = 5 * NANOS_PER_MS;

    private long lastLateAt = Long.MIN_VALUE;
    /** When the current late event began (its first late frame). */
    private long lateEventAt = Long.MIN_VALUE;

    private int lateFloorMs;
    /** The late frame that last raised or held the floor. */
    private long floorLateAt;
    /** How long the floor holds after {@link #floorLateAt}: twice the time between the last two late events. */
    private long lateHoldNanos;

    /**
     * Records an arrival of the frame whose media time is {@code mediaNanos} and returns its delay relative to the
     * fastest recent transit (zero or more).
     */
    long arrival(long mediaNanos, long nowNanos) {
        long transit = nowNanos - mediaNanos;
        if (hasPrevious) {
            // RFC 3550 A.8: J += (|D(i-1,i)| - J) / 16
            jitterNanos += (Math.abs(transit - previousTransit) - jitterNanos) / 16.0;
        }
        previousTransit = transit;
        hasPrevious = true;
        addTransit(transit);

        long relative = transit - minTransit;
        int bucket = (int) Math.min(MAX_BUCKET_MS, ceilMs(relative));
        if (recentCount == HISTORY) {
            histogram[recent[recentNext]]--;
        } else {
            recentCount++;
        }
        recent[recentNext] = bucket;
        histogram[bucket]++;
        recentNext = (recentNext + 1) % HISTORY;
        return relative;
    }

    /**
     * A frame with this relative delay came after its play-out time. Late frames that arrive within
     * {@link #SAME_EVENT_NANOS} of each other are one late event. A late event within {@link #RECURRING_LATE_NANOS} of
     * the one before raises the target to cover it from now on; a lone one (a pause of this host or of the sender, a
     * spike on the path) only costs its own frames, concealed, where raising the target would delay every frame for a
     * second or more. Each late frame while the floor is up raises it if need be and holds it on: a new event for
     * twice the time since the one before, and no less than what was left of the hold.
     */
    void late(long relativeNanos, long nowNanos) {
        boolean newEvent = lastLateAt == Long.MIN_VALUE || nowNanos - lastLateAt >= SAME_EVENT_NANOS;
        lastLateAt = nowNanos;
        long since = Long.MAX_VALUE; // a later frame of the same event is no recurrence
        if (newEvent) {
            since = lateEventAt == Long.MIN_VALUE ? Long.MAX_VALUE : nowNanos - lateEventAt;
            lateEventAt = nowNanos;
        }
        int floor = lateFloor(nowNanos);
        if (floor == 0 && since >= RECURRING_LATE_NANOS) {
            return; // a lone event, so far
        }
        lateHoldNanos = Math.max(
                floor == 0 ? 0 : lateHoldNanos - (nowNanos - floorLateAt),
                newEvent ? Math.clamp(2 * since, LATE_HOLD_MIN_NANOS, LATE_HOLD_MAX_NANOS) : 0);
        floorLateAt = nowNanos;
        lateFloorMs = (int) Math.max(floor, Math.min(MAX_MS, ceilMs(relativeNanos) + LATE_MARGIN_MS));
    }

    int targetMs(long nowNanos) {
        int base = recentCount < MIN_SAMPLES ? INITIAL_MS : percentileMs();
        return Math.clamp(Math.max(base, lateFloor(nowNanos)), MIN_MS, MAX_MS);
    }

    /** The fastest recent transit, the reference that delays are measured from. */
    long minTransit() {
        return minTransit;
    }

    double jitterMs() {
        return jitterNanos / NANOS_PER_MS;
    }

    /** Media times start over (a sender restart): old transits mean nothing now. The delay statistics stay. */
    void restartTimeline() {
        transitCount = 0;
        transitNext = 0;
        hasPrevious = false;
    }

    private void addTransit(long transit) {
        long evicted = transits[transitNext];
        boolean full = transitCount == TRANSIT_WINDOW;
        transits[transitNext] = transit;
        transitNext = (transitNext + 1) % TRANSIT_WINDOW;
        if (!full) {
            transitCount++;
        }
        if (transitCount == 1 || transit <= minTransit) {
            minTransit = transit;
        } else if (full && evicted == minTransit) {
            long min = Long.MAX_VALUE;
            for (int i = 0; i < transitCount; i++) {
                min = Math.min(min, transits[i]);
            }
            minTransit = min;
        }
    }

    private int percentileMs() {
        int needed = (int) Math.ceil(PERCENTILE * recentCount);
        int sum = 0;
        for (int bucket = 0; bucket < histogram.length; bucket++) {
            sum += histogram[bucket];
            if (sum >= needed) {
                return bucket;
            }
        }
        return MAX_BUCKET_MS;
    }

    private int lateFloor(long nowNanos) {
        if (lateFloorMs == 0) {
            return 0;
        }
        long sinking = nowNanos - floorLateAt - lateHoldNanos;
        if (sinking <= 0) {
            return lateFloorMs;
        }
        return (int) (lateFloorMs * Math.pow(0.5, (double) sinking / LATE_HALF_LIFE_NANOS));
    }

    private static long ceilMs(long nanos) {
        return Math.max(0, (nanos + NANOS_PER_MS - 1) / NANOS_PER_MS);
    }
}
