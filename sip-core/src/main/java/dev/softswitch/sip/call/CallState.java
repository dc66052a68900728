package dev.softswitch.sip.call;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A call's states and, in {@link #TRANSITIONS}, the one table of moves between them:
 * {@code INITIALIZING -> RINGING -> CONNECTED <-> ON_HOLD -> ENDING -> ENDED | FAILED}. A call may fail from any
 * state that has not ended; it ends normally through ENDING.
 */
public enum CallState {
    /** INVITE received; being admitted, routed and negotiated. */
    INITIALIZING,
    /** 180 sent (or received); waiting for the answer and its ACK. */
    RINGING,
    /** Answered and acknowledged: media flows both ways. */
    CONNECTED,
    /** The remote side put the call on hold. */
    ON_HOLD,
    /** Hang-up under way: BYE or final response sent, media stopping. */
    ENDING,
    /** Ended normally. Final. */
    ENDED,
    /** Could not be set up, or ended by an error. Final. */
    FAILED;

    private static final Map<CallState, Set<CallState>> TRANSITIONS = new EnumMap<>(CallState.class);

    static {
        TRANSITIONS.put(INITIALIZING, EnumSet.of(RINGING, ENDING, FAILED));
        TRANSITIONS.put(RINGING, EnumSet.of(CONNECTED, ENDING, FAILED));
        TRANSITIONS.put(CONNECTED, EnumSet.of(ON_HOLD, ENDING, FAILED));
        TRANSITIONS.put(ON_HOLD, EnumSet.of(CONNECTED, ENDING, FAILED));
        TRANSITIONS.put(ENDING, EnumSet.of(ENDED, FAILED));
        TRANSITIONS.put(ENDED, EnumSet.noneOf(CallState.class));
        TRANSITIONS.put(FAILED, EnumSet.noneOf(CallState.class));
    }

    /** Whether the table allows moving from this state to {@code next}. */
    public boolean canMoveTo(CallState next) {
        return TRANSITIONS.get(this).contains(next);
    }

    /** ENDED or FAILED: nothing more happens to the call. */
    public boolean isFinal() {
        return TRANSITIONS.get(this).isEmpty();
    }
}
