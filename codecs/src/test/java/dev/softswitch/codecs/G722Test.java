package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * G.722 against spandsp and ffmpeg in both directions (golden files from g722/make-g722-golden.sh):
 * 16 kHz PCM to octets, octets to PCM, whole streams and 20 ms frames.
 */
class G722Test {

    private static final int FRAME_SAMPLES = 320; // 20 ms at 16 kHz
    private static final int FRAME_OCTETS = 160;

    @ParameterizedTest
    @ValueSource(strings = {"speech", "square", "silence"})
    void encodingMatchesSpandspAndFfmpeg(String name) {
        short[] pcm = pcm(name + "-16k.raw");
        byte[] octets = new byte[pcm.length / 2];
        assertEquals(octets.length, new G722Encoder().encode(pcm, 0, pcm.length, octets, 0));
        assertSameOctets(golden(name + ".g722"), octets, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"speech", "silence"})
    void decodingMatchesSpandspAndFfmpeg(String name) {
        byte[] octets = golden(name + ".g722");
        assertSameSamples(pcm(name + "-decoded.raw"), decode(new G722Decoder(), octets, octets.length), name);
    }

    /**
     * Where the receive QMF overshoots full scale, spandsp 0.0.6 casts to 16 bits and wraps round;
     * ffmpeg clips, as this decoder does. Everywhere else all three agree.
     */
    @ParameterizedTest
    @ValueSource(strings = {"square", "random"})
    void decodingBeyondFullScaleClipsLikeFfmpegWhereSpandspWraps(String name) {
        byte[] octets = golden(name + ".g722");
        short[] ours = decode(new G722Decoder(), octets, octets.length);
        assertSameSamples(pcm(name + "-decoded-ffmpeg.raw"), ours, name + " (ffmpeg)");

        short[] spandsp = pcm(name + "-decoded.raw");
        int wrapped = 0;
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] != spandsp[i]) {
                boolean wrapAbove = ours[i] == Short.MAX_VALUE && spandsp[i] < 0;
                boolean wrapBelow = ours[i] == Short.MIN_VALUE && spandsp[i] >= 0;
                assertTrue(
                        wrapAbove || wrapBelow,
                        name + " sample " + i + ": spandsp " + spandsp[i] + ", ours " + ours[i]);
                wrapped++;
            }
        }
        assertTrue(wrapped > 0, "the " + name + " vector should reach the overshoot it is there to test");
    }

    @Test
    void framesOf20msCarryStateAcrossCalls() {
        short[] pcm = pcm("speech-16k.raw");
        G722Encoder encoder = new G722Encoder();
        byte[] octets = new byte[pcm.length / 2];
        for (int at = 0; at < pcm.length; at += FRAME_SAMPLES) {
            assertEquals(FRAME_OCTETS, encoder.encode(pcm, at, FRAME_SAMPLES, octets, at / 2));
        }
        assertSameOctets(golden("speech.g722"), octets, "speech in 20 ms frames");

        G722Decoder decoder = new G722Decoder();
        short[] decoded = new short[pcm.length];
        for (int at = 0; at < octets.length; at += FRAME_OCTETS) {
            byte[] frame = Arrays.copyOfRange(octets, at, at + FRAME_OCTETS);
            short[] out = new short[FRAME_SAMPLES];
            assertEquals(FRAME_SAMPLES, decoder.decode(frame, 0, FRAME_OCTETS, out, 0));
            System.arraycopy(out, 0, decoded, 2 * at, FRAME_SAMPLES);
        }
        assertSameSamples(pcm("speech-decoded.raw"), decoded, "speech in 20 ms frames");
    }

    @Test
    void framesOfAnyEvenSizeJoinIntoTheSameStream() {
        short[] pcm = pcm("speech-16k.raw");
        G722Encoder encoder = new G722Encoder();
        G722Decoder decoder = new G722Decoder();
        byte[] octets = new byte[pcm.length / 2];
        short[] decoded = new short[pcm.length];
        int[] sizes = {2, 318, 0, 640, 14, 160};
        int at = 0;
        for (int i = 0; at < pcm.length; i++) {
            int n = Math.min(sizes[i % sizes.length], pcm.length - at);
            encoder.encode(pcm, at, n, octets, at / 2);
            decoder.decode(octets, at / 2, n / 2, decoded, at);
            at += n;
        }
        assertSameOctets(golden("speech.g722"), octets, "speech in uneven frames");
        assertSameSamples(pcm("speech-decoded.raw"), decoded, "speech in uneven frames");
    }

    @Test
    void resetStartsANewStream() {
        G722Encoder encoder = new G722Encoder();
        G722Decoder decoder = new G722Decoder();
        short[] square = pcm("square-16k.raw");
        byte[] scratch = new byte[square.length / 2];
        encoder.encode(square, 0, square.length, scratch, 0);
        decoder.decode(scratch, 0, scratch.length, new short[square.length], 0);
        encoder.reset();
        decoder.reset();

        short[] pcm = pcm("speech-16k.raw");
        byte[] octets = new byte[pcm.length / 2];
        encoder.encode(pcm, 0, pcm.length, octets, 0);
        assertSameOctets(golden("speech.g722"), octets, "speech after reset");
        assertSameSamples(pcm("speech-decoded.raw"), decode(decoder, octets, octets.length), "speech after reset");
    }

    @Test
    void offsetsAreHonouredAndOddSampleCountsRejected() {
        short[] pcm = pcm("speech-16k.raw");
        short[] shifted = new short[FRAME_SAMPLES + 3];
        System.arraycopy(pcm, 0, shifted, 3, FRAME_SAMPLES);
        byte[] octets = new byte[FRAME_OCTETS + 5];
        assertEquals(FRAME_OCTETS, new G722Encoder().encode(shifted, 3, FRAME_SAMPLES, octets, 5));
        assertSameOctets(
                Arrays.copyOf(golden("speech.g722"), FRAME_OCTETS),
                Arrays.copyOfRange(octets, 5, octets.length),
                "first frame at an offset");

        short[] decoded = new short[FRAME_SAMPLES + 7];
        assertEquals(FRAME_SAMPLES, new G722Decoder().decode(octets, 5, FRAME_OCTETS, decoded, 7));
        assertSameSamples(
                Arrays.copyOf(pcm("speech-decoded.raw"), FRAME_SAMPLES),
                Arrays.copyOfRange(decoded, 7, decoded.length),
                "first frame at an offset");

        G722Encoder encoder = new G722Encoder();
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(pcm, 0, 319, new byte[160], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.encode(pcm, 0, 320, new byte[159], 0));
        G722Decoder decoder = new G722Decoder();
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.decode(new byte[160], 0, 160, new short[319], 0));
    }

    /** What a caller hears: a tone in either sub-band comes back as that tone, at about its level. */
    @ParameterizedTest
    @ValueSource(doubles = {440, 1000, 3000, 5500, 7000})
    void tonesInBothSubBandsSurviveTheRoundTrip(double frequency) {
        short[] tone = new ToneGenerator(frequency, 16000, 0.5).next(16000);
        byte[] octets = new byte[tone.length / 2];
        new G722Encoder().encode(tone, 0, tone.length, octets, 0);
        short[] back = decode(new G722Decoder(), octets, octets.length);
        int settled = 1600; // skip the first 0.1 s while the scale factors adapt
        assertTrue(Goertzel.relativePower(back, settled, back.length - settled, frequency, 16000) > 0.98, "purity");
        double level = Goertzel.power(back, settled, back.length - settled, frequency, 16000);
        assertEquals(0.5 * 0.5 / 2, level, 0.125 / 4, "mean-square level of the tone");
    }

    @Test
    void describesItself() {
        assertEquals("G722 (ITU-T G.722 64 kbit/s encoder)", new G722Encoder().toString());
        assertEquals("G722 (ITU-T G.722 64 kbit/s decoder)", new G722Decoder().toString());
    }

    private static short[] decode(G722Decoder decoder, byte[] octets, int length) {
        short[] out = new short[2 * length];
        assertEquals(out.length, decoder.decode(octets, 0, length, out, 0));
        return out;
    }

    private static byte[] golden(String name) {
        return Golden.bytes("g722/" + name);
    }

    private static short[] pcm(String name) {
        byte[] bytes = golden(name);
        return Pcm.fromLittleEndian(bytes, 0, bytes.length);
    }

    private static void assertSameOctets(byte[] expected, byte[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int i = Arrays.mismatch(expected, actual);
        if (i >= 0) {
            fail(String.format(
                    "%s: octet %d (sample %d) is 0x%02X, golden 0x%02X",
                    what, i, 2 * i, actual[i] & 0xFF, expected[i] & 0xFF));
        }
    }

    private static void assertSameSamples(short[] expected, short[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int i = Arrays.mismatch(expected, actual);
        if (i >= 0) {
            fail(what + ": sample " + i + " is " + actual[i] + ", golden " + expected[i]);
        }
        assertArrayEquals(expected, actual);
    }
}
