package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Keys an assistant sends toward the caller, as the media side polls them. */
class QueueMediaPortDigitsTest {

    private static final int FRAME = 160;

    private final QueueMediaPort port = new QueueMediaPort(FRAME, reason -> {});

    @Test
    void keysComeOutInTheOrderTheyWereSentAcrossCalls() {
        port.sendDigits("0123456789");
        port.sendDigits("*#ABCD");
        port.sendDigits("");

        assertEquals("0123456789*#ABCD", pollAll());
        assertNull(port.pollDigit(), "nothing else is waiting");
    }

    @Test
    void aBadCharacterIsNamedAndNoneOfTheKeysIsQueued() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> port.sendDigits("12x3"));
        assertEquals("'x' is not a DTMF digit (0-9 * # A-D)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> port.sendDigits("a"), "lower case is not a key");
        assertThrows(IllegalArgumentException.class, () -> port.sendDigits("1 2"));
        assertThrows(IllegalArgumentException.class, () -> port.sendDigits("E"));

        assertNull(port.pollDigit(), "a rejected string queues nothing, not even the keys before the bad one");
    }

    @Test
    void keysDoNotWaitBehindAudioAndClearLeavesThem() throws InterruptedException {
        for (int i = 0; i < QueueMediaPort.DEFAULT_TO_CALLER_FRAMES; i++) {
            port.write(new short[FRAME]);
        }
        port.sendDigits("5");

        assertEquals(Character.valueOf('5'), port.pollDigit(), "ready before any of the audio was sent");
        port.sendDigits("6");
        port.clear();
        assertEquals(Character.valueOf('6'), port.pollDigit(), "barge-in drops audio, not keys");
    }

    @Test
    void pastTheLimitTheNewestKeysAreDroppedAndCounted() {
        String many = "1234567890".repeat(7); // 70 keys
        port.sendDigits(many);

        assertEquals(many.substring(0, QueueMediaPort.MAX_QUEUED_DIGITS), pollAll());
        assertEquals(70 - QueueMediaPort.MAX_QUEUED_DIGITS, port.droppedDigits());
        port.sendDigits("9");
        assertEquals("9", pollAll(), "room again once the media side took them");
    }

    @Test
    void keysEndWithTheCall() {
        port.sendDigits("12");
        port.close();
        assertNull(port.pollDigit(), "what was waiting ends with the call");
        port.sendDigits("3");
        assertNull(port.pollDigit(), "nothing is queued after the call ended");
        assertThrows(IllegalArgumentException.class, () -> port.sendDigits("?"), "still checked");
    }

    private String pollAll() {
        StringBuilder keys = new StringBuilder();
        Character key;
        while ((key = port.pollDigit()) != null) {
            keys.append(key.charValue());
        }
        return keys.toString();
    }

    @org.junit.jupiter.api.Test
    void keyPressesAreTalliedByRouteAcrossPorts() {
        DtmfTally tally = new DtmfTally();
        QueueMediaPort first = new QueueMediaPort(160, reason -> {}).tallyDtmf(tally);
        QueueMediaPort second = new QueueMediaPort(160, reason -> {}).tallyDtmf(tally);
        first.offerDtmf(new DtmfEvent('1', 100, DtmfEvent.Method.RFC4733));
        second.offerDtmf(new DtmfEvent('2', 100, DtmfEvent.Method.RFC4733));
        second.offerDtmf(new DtmfEvent('3', 0, DtmfEvent.Method.INFO));
        org.assertj.core.api.Assertions.assertThat(tally.count(DtmfEvent.Method.RFC4733))
                .isEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(tally.count(DtmfEvent.Method.INFO))
                .isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(tally.count(DtmfEvent.Method.INBAND))
                .isZero();
    }
}
