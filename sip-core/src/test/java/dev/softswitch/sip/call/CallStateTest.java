package dev.softswitch.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The call state machine's transition table, restated here as a literal table: every (from, to) pair with its verdict.
 * Changing the table in {@link CallState} must change this one too.
 */
class CallStateTest {

    /** Every one of the 7 x 7 moves. */
    static final String MOVES = """
            from,         to,           verdict
            INITIALIZING, INITIALIZING, REFUSED
            INITIALIZING, RINGING,      ALLOWED
            INITIALIZING, CONNECTED,    REFUSED
            INITIALIZING, ON_HOLD,      REFUSED
            INITIALIZING, ENDING,       ALLOWED
            INITIALIZING, ENDED,        REFUSED
            INITIALIZING, FAILED,       ALLOWED
            RINGING,      INITIALIZING, REFUSED
            RINGING,      RINGING,      REFUSED
            RINGING,      CONNECTED,    ALLOWED
            RINGING,      ON_HOLD,      REFUSED
            RINGING,      ENDING,       ALLOWED
            RINGING,      ENDED,        REFUSED
            RINGING,      FAILED,       ALLOWED
            CONNECTED,    INITIALIZING, REFUSED
            CONNECTED,    RINGING,      REFUSED
            CONNECTED,    CONNECTED,    REFUSED
            CONNECTED,    ON_HOLD,      ALLOWED
            CONNECTED,    ENDING,       ALLOWED
            CONNECTED,    ENDED,        REFUSED
            CONNECTED,    FAILED,       ALLOWED
            ON_HOLD,      INITIALIZING, REFUSED
            ON_HOLD,      RINGING,      REFUSED
            ON_HOLD,      CONNECTED,    ALLOWED
            ON_HOLD,      ON_HOLD,      REFUSED
            ON_HOLD,      ENDING,       ALLOWED
            ON_HOLD,      ENDED,        REFUSED
            ON_HOLD,      FAILED,       ALLOWED
            ENDING,       INITIALIZING, REFUSED
            ENDING,       RINGING,      REFUSED
            ENDING,       CONNECTED,    REFUSED
            ENDING,       ON_HOLD,      REFUSED
            ENDING,       ENDING,       REFUSED
            ENDING,       ENDED,        ALLOWED
            ENDING,       FAILED,       ALLOWED
            ENDED,        INITIALIZING, REFUSED
            ENDED,        RINGING,      REFUSED
            ENDED,        CONNECTED,    REFUSED
            ENDED,        ON_HOLD,      REFUSED
            ENDED,        ENDING,       REFUSED
            ENDED,        ENDED,        REFUSED
            ENDED,        FAILED,       REFUSED
            FAILED,       INITIALIZING, REFUSED
            FAILED,       RINGING,      REFUSED
            FAILED,       CONNECTED,    REFUSED
            FAILED,       ON_HOLD,      REFUSED
            FAILED,       ENDING,       REFUSED
            FAILED,       ENDED,        REFUSED
            FAILED,       FAILED,       REFUSED
            """;

    enum Verdict {
        ALLOWED,
        REFUSED
    }

    @ParameterizedTest
    @CsvSource(useHeadersInDisplayName = true, textBlock = MOVES)
    void everyMoveIsAllowedOrRefusedAsTheTableSays(CallState from, CallState to, Verdict verdict) {
        assertEquals(verdict == Verdict.ALLOWED, from.canMoveTo(to));
    }

    @Test
    void theTableAboveListsEveryPairOfStatesExactlyOnce() {
        Set<String> pairs = new HashSet<>();
        List<String> rows = MOVES.strip().lines().skip(1).toList();
        for (String row : rows) {
            String[] cells = row.split(",", -1);
            CallState from = CallState.valueOf(cells[0].strip());
            CallState to = CallState.valueOf(cells[1].strip());
            assertTrue(pairs.add(from + "->" + to), "listed twice: " + row);
        }
        int states = EnumSet.allOf(CallState.class).size();
        assertEquals(7, states, "a state was added or removed: extend the table above");
        assertEquals(states * states, pairs.size());
    }

    @ParameterizedTest(name = "{0} final: {1}")
    @CsvSource(textBlock = """
                    INITIALIZING, false
                    RINGING,      false
                    CONNECTED,    false
                    ON_HOLD,      false
                    ENDING,       false
                    ENDED,        true
                    FAILED,       true
                    """)
    void onlyEndedAndFailedAreFinal(CallState state, boolean isFinal) {
        assertEquals(isFinal, state.isFinal());
    }

    @Test
    void illegalTransitionNamesBothStates() {
        assertEquals(
                "call state ENDED cannot move to CONNECTED",
                new IllegalTransitionException(CallState.ENDED, CallState.CONNECTED).getMessage());
    }
}
