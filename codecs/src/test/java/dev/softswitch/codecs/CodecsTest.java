package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
        assertEquals(Optional.of(CodecInfo.G722), Codecs.byName("g722", 8000));
        assertEquals(Optional.empty(), Codecs.byName("G722", 16000)); // SDP says G722/8000
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
    void g722GivesANewStatefulCoderPerStream() {
        AudioEncoder encoder = Codecs.encoder(CodecInfo.G722);
        AudioDecoder decoder = Codecs.decoder(CodecInfo.G722);
        assertInstanceOf(G722Encoder.class, encoder);
        assertInstanceOf(G722Decoder.class, decoder);
        assertNotSame(encoder, Codecs.encoder(CodecInfo.G722));
        assertNotSame(decoder, Codecs.decoder(CodecInfo.G722));

        // A dynamic payload type in the offer is still G.722.
        CodecInfo dynamic = new CodecInfo("g722", 100, 8000, 16000, 1);
        assertInstanceOf(G722Encoder.class, Codecs.encoder(dynamic));

        // 20 ms: 320 samples in, 160 octets out, 320 samples back.
        short[] pcm = new ToneGenerator(1000, 16000, 0.5).next(320);
        byte[] payload = new byte[CodecInfo.G722.payloadBytes(20)];
        assertEquals(160, encoder.encode(pcm, 0, CodecInfo.G722.samplesPerFrame(20), payload, 0));
        short[] decoded = new short[320];
        assertEquals(320, decoder.decode(payload, 0, payload.length, decoded, 0));
    }

    @Test
    void codecsDescribeThemselvesForTheMediaPathLog() {
        assertEquals("PCMU (G.711 mu-law)", Codecs.encoder(CodecInfo.PCMU).toString());
        assertEquals("PCMA (G.711 A-law)", Codecs.decoder(CodecInfo.PCMA).toString());
        assertEquals(
                "G722 (ITU-T G.722 64 kbit/s encoder)",
                Codecs.encoder(CodecInfo.G722).toString());
        assertEquals(
                "G722 (ITU-T G.722 64 kbit/s decoder)",
                Codecs.decoder(CodecInfo.G722).toString());
    }

    @Test
    void aPcmuWithTheSameParametersFindsTheSameCodec() {
        CodecInfo lowerCase = new CodecInfo("pcmu", 0, 8000, 8000, 1);
        assertEquals(Codecs.encoder(CodecInfo.PCMU), Codecs.encoder(lowerCase));
    }

    @Test
    void unknownCodecIsRejectedByName() {
        CodecInfo g729 = new CodecInfo("G729", 18, 8000, 8000, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codecs.encoder(g729));
        assertTrue(e.getMessage().contains("G729"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Codecs.decoder(g729));
        assertTrue(e.getMessage().contains("G729"), e.getMessage());
        CodecInfo widebandPcmu = new CodecInfo("PCMU", -1, 16000, 16000, 1);
        assertThrows(IllegalArgumentException.class, () -> Codecs.decoder(widebandPcmu));
        CodecInfo g722At16k = new CodecInfo("G722", 9, 16000, 16000, 1);
        assertThrows(IllegalArgumentException.class, () -> Codecs.encoder(g722At16k));
        CodecInfo stereoG722 = new CodecInfo("G722", -1, 8000, 16000, 2);
        assertThrows(IllegalArgumentException.class, () -> Codecs.decoder(stereoG722));
    }
}
