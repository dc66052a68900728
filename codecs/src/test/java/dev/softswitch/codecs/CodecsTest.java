package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodecsTest {

    @Test
    void byNameIgnoresCaseAndMatchesClockRate() {
        assertEquals(Optional.of(CodecInfo.PCMU), Codecs.byName("PCMU", 8000));
        assertEquals(Optional.of(CodecInfo.PCMU), Codecs.byName("pcmu", 8000));
        assertEquals(Optional.of(CodecInfo.PCMA), Codecs.byName("pcmA", 8000));
        assertEquals(Optional.empty(), Codecs.byName("PCMU", 16000));
        assertEquals(Optional.empty(), Codecs.byName("opus", 48000));
        assertEquals(Optional.empty(), Codecs.byName("telephone-event", 8000));
    }

    @Test
    void pcmuEncoderAndDecoderAreG711MuLaw() {
        short[] pcm = new ToneGenerator(1000, 8000, 0.8).next(160);
        byte[] payload = new byte[160];
        assertEquals(160, Codecs.encoder(CodecInfo.PCMU).encode(pcm, 0, 160, payload, 0));
        byte[] expected = new byte[160];
        G711.encodeUlaw(pcm, 0, expected, 0, 160);
        assertArrayEquals(expected, payload);

        short[] decoded = new short[170];
        assertEquals(160, Codecs.decoder(CodecInfo.PCMU).decode(payload, 0, 160, decoded, 10));
        assertEquals(G711.ulawToLinear(payload[5]), decoded[15]);
    }

    @Test
    void pcmaEncoderAndDecoderAreG711ALaw() {
        short[] pcm = new ToneGenerator(440, 8000, 0.8).next(80);
        byte[] payload = new byte[80];
        assertEquals(80, Codecs.encoder(CodecInfo.PCMA).encode(pcm, 0, 80, payload, 0));
        for (int i = 0; i < 80; i++) {
            assertEquals(G711.linearToAlaw(pcm[i]), payload[i]);
        }
        short[] decoded = new short[80];
        assertEquals(80, Codecs.decoder(CodecInfo.PCMA).decode(payload, 0, 80, decoded, 0));
        for (int i = 0; i < 80; i++) {
            assertEquals(G711.alawToLinear(payload[i]), decoded[i]);
        }
    }

    @Test
    void codecsDescribeThemselvesForTheMediaPathLog() {
        assertEquals("PCMU (G.711 mu-law)", Codecs.encoder(CodecInfo.PCMU).toString());
        assertEquals("PCMA (G.711 A-law)", Codecs.decoder(CodecInfo.PCMA).toString());
    }

    @Test
    void aPcmuWithTheSameParametersFindsTheSameCodec() {
        CodecInfo lowerCase = new CodecInfo("pcmu", 0, 8000, 8000, 1);
        assertEquals(Codecs.encoder(CodecInfo.PCMU), Codecs.encoder(lowerCase));
    }

    @Test
    void unknownCodecIsRejectedByName() {
        CodecInfo g722 = new CodecInfo("G722", 9, 8000, 16000, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codecs.encoder(g722));
        assertTrue(e.getMessage().contains("G722"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Codecs.decoder(g722));
        assertTrue(e.getMessage().contains("G722"), e.getMessage());
        CodecInfo widebandPcmu = new CodecInfo("PCMU", -1, 16000, 16000, 1);
        assertThrows(IllegalArgumentException.class, () -> Codecs.decoder(widebandPcmu));
    }
}
