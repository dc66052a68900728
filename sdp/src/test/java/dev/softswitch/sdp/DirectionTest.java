package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectionTest {

    @ParameterizedTest
    @CsvSource({
        "SENDRECV, SENDRECV, sendrecv, true,  true",
        "SENDONLY, RECVONLY, sendonly, true,  false",
        "RECVONLY, SENDONLY, recvonly, false, true",
        "INACTIVE, INACTIVE, inactive, false, false"
    })
    void answersAsRfc3264Says(
            Direction offered, Direction answer, String attributeName, boolean sends, boolean receives) {
        assertEquals(answer, offered.answerTo());
        assertEquals(attributeName, offered.attributeName());
        assertEquals(sends, offered.sends());
        assertEquals(receives, offered.receives());
    }

    @ParameterizedTest
    @CsvSource({"SENDRECV, SENDONLY", "SENDONLY, SENDONLY", "RECVONLY, INACTIVE", "INACTIVE, INACTIVE"})
    void aHoldAddressTakesReceivingAway(Direction stated, Direction withHoldAddress) {
        assertEquals(withHoldAddress, stated.withoutReceiving());
    }
}
