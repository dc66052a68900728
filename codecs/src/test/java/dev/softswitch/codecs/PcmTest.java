package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PcmTest {

    @Test
    void littleEndianRoundTripOfEveryValue() {
        short[] all = Golden.allSamples();
        byte[] bytes = Pcm.toLittleEndian(all);
        assertEquals(131072, bytes.length);
        assertEquals((byte) 0x00, bytes[0]); // -32768 = 0x8000
        assertEquals((byte) 0x80, bytes[1]);
        assertArrayEquals(all, Pcm.fromLittleEndian(bytes, 0, bytes.length));
    }

    @Test
    void fromLittleEndianHonoursOffsetAndRejectsOddLength() {
        byte[] data = {9, 0x34, 0x12, (byte) 0xFF, (byte) 0xFF};
        assertArrayEquals(new short[] {0x1234, -1}, Pcm.fromLittleEndian(data, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Pcm.fromLittleEndian(data, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Pcm.fromLittleEndian(data, 2, 4));
    }

    @Test
    void rmsOfSineSquareAndSilence() {
        short[] sine = new ToneGenerator(1000, 8000, 1.0).next(8000);
        assertEquals(32767 / Math.sqrt(2), Pcm.rms(sine), 5);
        assertEquals(1000, Pcm.rms(new short[] {1000, -1000, 1000, -1000}), 1e-9);
        assertEquals(0, Pcm.rms(Pcm.silence(160)));
        assertEquals(0, Pcm.rms(new short[0]));
        assertEquals(160, Pcm.silence(160).length);
    }
}
