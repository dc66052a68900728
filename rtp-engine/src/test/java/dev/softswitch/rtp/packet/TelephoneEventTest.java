package dev.softswitch.rtp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TelephoneEventTest {

    @Test
    void readsTheRfc4733Layout() {
        // event 11 (#), E=1, R=0, volume 10, duration 0x0320 = 800
        byte[] payload = {11, (byte) 0x8a, 0x03, 0x20};
        assertEquals(11, TelephoneEvent.event(payload, 0));
        assertTrue(TelephoneEvent.isEnd(payload, 0));
        assertEquals(10, TelephoneEvent.volume(payload, 0));
        assertEquals(800, TelephoneEvent.duration(payload, 0));
    }

    @Test
    void writesWhatItReads() {
        byte[] payload = new byte[6];
        assertEquals(6, TelephoneEvent.write(payload, 2, 15, false, 63, 65535));
        assertEquals(15, TelephoneEvent.event(payload, 2));
        assertFalse(TelephoneEvent.isEnd(payload, 2));
        assertEquals(63, TelephoneEvent.volume(payload, 2));
        assertEquals(65535, TelephoneEvent.duration(payload, 2));
    }
}
