package dev.softswitch.rtp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void writesTheRfc4733LayoutByteForByte() {
        byte[] payload = new byte[TelephoneEvent.LENGTH];
        TelephoneEvent.write(payload, 0, 11, true, 10, 800); // the end of 100 ms of '#' at -10 dBm0
        assertArrayEquals(new byte[] {11, (byte) 0x8a, 0x03, 0x20}, payload);
        TelephoneEvent.write(payload, 0, 1, false, 10, 160); // the first packet of '1'
        assertArrayEquals(new byte[] {1, 0x0a, 0x00, (byte) 0xa0}, payload);
    }

    @Test
    void everyKeyAndDurationOfAKeyRoundTrips() {
        byte[] payload = new byte[TelephoneEvent.LENGTH];
        for (int event = 0; event < 16; event++) {
            for (int duration = 0; duration <= 65535; duration += 160) {
                for (boolean end : new boolean[] {false, true}) {
                    TelephoneEvent.write(payload, 0, event, end, 10, duration);
                    assertEquals(event, TelephoneEvent.event(payload, 0));
                    assertEquals(end, TelephoneEvent.isEnd(payload, 0));
                    assertEquals(0, payload[1] & 0x40, "R is zero");
                    assertEquals(10, TelephoneEvent.volume(payload, 0));
                    assertEquals(duration, TelephoneEvent.duration(payload, 0));
                }
            }
        }
    }
}
