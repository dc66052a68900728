package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DtmfEventTest {

    @Test
    void rfc4733CodesMapToTheKeypad() {
        assertEquals("0123456789*#ABCD", codes(0, 16));
        assertFalse(DtmfEvent.isDigitCode(16));
        assertTrue(DtmfEvent.isDigitCode(15));
        assertThrows(IllegalArgumentException.class, () -> DtmfEvent.digitOfEventCode(16));
        for (int code = 0; code < 16; code++) {
            assertEquals(code, DtmfEvent.eventCodeOf(DtmfEvent.digitOfEventCode(code)));
        }
        assertEquals(11, DtmfEvent.eventCodeOf('#'));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DtmfEvent.eventCodeOf('e'));
        assertEquals("'e' is not a DTMF digit (0-9 * # A-D)", e.getMessage());
    }

    @Test
    void onlyKeypadDigitsAreEvents() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new DtmfEvent('E', 100, DtmfEvent.Method.INFO));
        assertEquals("'E' is not a DTMF digit (0-9 * # A-D)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DtmfEvent('1', -1, DtmfEvent.Method.INFO));
    }

    @Test
    void theAssistantGetsKeysInOrderAndTheOldestGoWhenItNeverReads() {
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        for (int i = 0; i < 40; i++) {
            port.offerDtmf(new DtmfEvent(DtmfEvent.digitOfEventCode(i % 10), 100, DtmfEvent.Method.RFC4733));
        }
        assertEquals('8', port.pollDtmf().digit()); // 40 pressed, 32 kept: the first is press 8
        port.close();
        assertNull(port.pollDtmf(), "what was waiting ends with the call");
        port.offerDtmf(new DtmfEvent('1', 100, DtmfEvent.Method.RFC4733));
        assertNull(port.pollDtmf(), "nothing is queued after the call ended");
    }

    private static String codes(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int c = from; c < to; c++) {
            s.append(DtmfEvent.digitOfEventCode(c));
        }
        return s.toString();
    }
}
