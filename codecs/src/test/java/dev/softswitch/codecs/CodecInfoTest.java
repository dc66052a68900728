package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodecInfoTest {

    @Test
    void g711FrameOf20msIs160SamplesTicksAndBytes() {
        for (CodecInfo codec : new CodecInfo[] {CodecInfo.PCMU, CodecInfo.PCMA}) {
            assertEquals(160, codec.samplesPerFrame(20));
            assertEquals(160, codec.rtpTimestampIncrement(20));
            assertEquals(160, codec.payloadBytes(20));
            assertEquals(240, codec.payloadBytes(30));
        }
        assertEquals(0, CodecInfo.PCMU.payloadType());
        assertEquals(8, CodecInfo.PCMA.payloadType());
    }

    @Test
    void g722KeepsClockRateAndSampleRateApart() {
        // RFC 3551 4.5.2: G722/8000 on the wire, 16 kHz audio, 64 kbit/s.
        CodecInfo g722 = CodecInfo.G722;
        assertEquals(new CodecInfo("G722", 9, 8000, 16000, 1), g722);
        assertEquals(320, g722.samplesPerFrame(20));
        assertEquals(160, g722.rtpTimestampIncrement(20));
        assertEquals(160, g722.payloadBytes(20));
        assertEquals(80, g722.payloadBytes(10));
        assertEquals("G722/8000 (16000 Hz audio) pt 9", g722.toString());
    }

    @Test
    void dynamicPayloadTypeIsMinusOne() {
        CodecInfo opus = new CodecInfo("opus", -1, 48000, 48000, 2);
        assertEquals(960, opus.samplesPerFrame(20));
        assertEquals("opus/48000/2", opus.toString());
        assertThrows(UnsupportedOperationException.class, () -> opus.payloadBytes(20));
    }

    @Test
    void constructorRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo(" ", 0, 8000, 8000, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo("X", -2, 8000, 8000, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo("X", 128, 8000, 8000, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo("X", 0, 0, 8000, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo("X", 0, 8000, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecInfo("X", 0, 8000, 8000, 0));
    }

    @Test
    void frameLengthMustGiveWholeSamples() {
        CodecInfo cd = new CodecInfo("L16", -1, 44100, 44100, 1);
        assertEquals(441, cd.samplesPerFrame(10));
        assertThrows(IllegalArgumentException.class, () -> cd.samplesPerFrame(1));
        assertThrows(IllegalArgumentException.class, () -> CodecInfo.PCMU.samplesPerFrame(-20));
    }
}
