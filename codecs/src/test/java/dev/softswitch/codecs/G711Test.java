package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** G.711 against sox, every input in both directions (golden files from make-golden.sh). */
class G711Test {

    @Test
    void ulawEncodingMatchesSoxForEvery16BitInput() {
        byte[] golden = Golden.bytes("ulaw-encoded.raw");
        assertEquals(65536, golden.length);
        for (int i = 0; i < 65536; i++) {
            short sample = (short) (i - 32768);
            byte got = G711.linearToUlaw(sample);
            if (got != golden[i]) {
                fail(String.format("mu-law of %d: sox 0x%02X, ours 0x%02X", sample, golden[i] & 0xFF, got & 0xFF));
            }
        }
    }

    @Test
    void alawEncodingMatchesSoxForEvery16BitInput() {
        byte[] golden = Golden.bytes("alaw-encoded.raw");
        assertEquals(65536, golden.length);
        for (int i = 0; i < 65536; i++) {
            short sample = (short) (i - 32768);
            byte got = G711.linearToAlaw(sample);
            if (got != golden[i]) {
                fail(String.format("A-law of %d: sox 0x%02X, ours 0x%02X", sample, golden[i] & 0xFF, got & 0xFF));
            }
        }
    }

    @Test
    void ulawDecodingMatchesSoxForEveryByte() {
        short[] golden = goldenDecoded("ulaw-decoded.raw");
        for (int code = 0; code < 256; code++) {
            short got = G711.ulawToLinear((byte) code);
            if (got != golden[code]) {
                fail(String.format("mu-law 0x%02X: sox %d, ours %d", code, golden[code], got));
            }
        }
    }

    @Test
    void alawDecodingMatchesSoxForEveryByte() {
        short[] golden = goldenDecoded("alaw-decoded.raw");
        for (int code = 0; code < 256; code++) {
            short got = G711.alawToLinear((byte) code);
            if (got != golden[code]) {
                fail(String.format("A-law 0x%02X: sox %d, ours %d", code, golden[code], got));
            }
        }
    }

    @Test
    void arrayVersionsMatchSoxToo() {
        short[] all = Golden.allSamples();
        byte[] ulaw = new byte[65536 + 3];
        byte[] alaw = new byte[65536 + 3];
        G711.encodeUlaw(all, 0, ulaw, 3, 65536);
        G711.encodeAlaw(all, 0, alaw, 3, 65536);
        assertArrayEquals(Golden.bytes("ulaw-encoded.raw"), java.util.Arrays.copyOfRange(ulaw, 3, ulaw.length));
        assertArrayEquals(Golden.bytes("alaw-encoded.raw"), java.util.Arrays.copyOfRange(alaw, 3, alaw.length));

        byte[] codes = new byte[256 + 1];
        for (int code = 0; code < 256; code++) {
            codes[code + 1] = (byte) code;
        }
        short[] out = new short[256];
        G711.decodeUlaw(codes, 1, out, 0, 256);
        assertArrayEquals(goldenDecoded("ulaw-decoded.raw"), out);
        G711.decodeAlaw(codes, 1, out, 0, 256);
        assertArrayEquals(goldenDecoded("alaw-decoded.raw"), out);
    }

    @Test
    void decodingThenEncodingGivesTheSameCode() {
        for (int code = 0; code < 256; code++) {
            byte b = (byte) code;
            // mu-law has two zeros, 0x7F (-0) and 0xFF (+0); both decode to 0, which encodes as 0xFF.
            byte expectedUlaw = code == 0x7F ? (byte) 0xFF : b;
            assertEquals(expectedUlaw, G711.linearToUlaw(G711.ulawToLinear(b)), "mu-law " + code);
            assertEquals(b, G711.linearToAlaw(G711.alawToLinear(b)), "A-law " + code);
        }
    }

    @Test
    void knownCodesFromG711() {
        assertEquals((byte) 0xFF, G711.linearToUlaw((short) 0)); // mu-law silence
        assertEquals((byte) 0xD5, G711.linearToAlaw((short) 0)); // A-law silence
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    }

    @Test
    void arrayBoundsAreChecked() {
        short[] in = new short[10];
        byte[] out = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> G711.encodeUlaw(in, 5, out, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.encodeAlaw(in, 0, out, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.decodeUlaw(out, 0, in, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.decodeAlaw(out, 0, in, 0, 11));
    }

    private static short[] goldenDecoded(String name) {
        byte[] raw = Golden.bytes(name);
        assertEquals(512, raw.length);
        return Pcm.fromLittleEndian(raw, 0, raw.length);
    }
}
