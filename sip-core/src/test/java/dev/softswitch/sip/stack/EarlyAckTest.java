package dev.softswitch.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stack method {@link EarlyAck} relies on; what it does to a dialog is in {@code EarlyAckIT}. */
class EarlyAckTest {

    @Test
    void theStacksMethodIsFound() {
        assertThat(EarlyAck.available())
                .as("SIPDialog.ackReceived(long) in this jain-sip-ri version")
                .isTrue();
    }
}
