package dev.softswitch.codecs;

import java.util.Objects;

/**
 * ITU-T G.711 (11/88) mu-law and A-law companding of 16-bit linear PCM, table driven: encoding
 * looks up a 65,536-entry table, decoding a 256-entry one, both built once from the segment
 * formulas of G.711 tables 1 and 2 (in the form of the Sun reference code that sox also uses).
 *
 * <p>G.711 codes 14-bit (mu-law) and 13-bit (A-law) linear samples. A 16-bit sample is first
 * rounded to that width, to nearest with ties upwards and the top value clipped, as sox does; the
 * result then matches sox bit for bit on every input, which the golden-file tests check. Decoding
 * gives the segment midpoint scaled back to 16 bits.
 */
public final class G711 {

    // G.711 segment end points on the (biased, for mu-law) magnitude: Sun g711.c seg_uend/seg_aend.
    private static final int[] ULAW_SEGMENT_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int[] ALAW_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final int ULAW_BIAS = 0x84; // 132 in 16-bit units, 33 in 14-bit units
    private static final int ULAW_CLIP = 8159; // largest 14-bit magnitude mu-law represents

    /** Indexed by {@code sample & 0xFFFF}. */
    private static final byte[] ULAW_ENCODE = new byte[65536];

    private static final byte[] ALAW_ENCODE = new byte[65536];

    /** Indexed by {@code code & 0xFF}. */
    private static final short[] ULAW_DECODE = new short[256];

    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int sample = Short.MIN_VALUE; sample <= Short.MAX_VALUE; sample++) {
            ULAW_ENCODE[sample & 0xFFFF] = ulawFrom14(Math.min((sample + 2) >> 2, 8191));
            ALAW_ENCODE[sample & 0xFFFF] = alawFrom13(Math.min((sample + 4) >> 3, 4095));
        }
        for (int code = 0; code < 256; code++) {
            ULAW_DECODE[code] = ulawDecode(code);
            ALAW_DECODE[code] = alawDecode(code);
        }
    }

    private G711() {}

    /** Encodes one 16-bit sample as mu-law (G.711 table 2). */
    public static byte linearToUlaw(short sample) {
        return ULAW_ENCODE[sample & 0xFFFF];
    }

    /** Decodes one mu-law byte to a 16-bit sample (G.711 table 2). */
    public static short ulawToLinear(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    /** Encodes one 16-bit sample as A-law (G.711 table 1, even bits inverted). */
    public static byte linearToAlaw(short sample) {
        return ALAW_ENCODE[sample & 0xFFFF];
    }

    /** Decodes one A-law byte to a 16-bit sample (G.711 table 1). */
    public static short alawToLinear(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    /** Encodes {@code n} samples of {@code in} from {@code inOff} as mu-law into {@code out} from {@code outOff}. */
    public static void encodeUlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        encode(ULAW_ENCODE, in, inOff, out, outOff, n);
    }

    /** Decodes {@code n} mu-law bytes of {@code in} from {@code inOff} into {@code out} from {@code outOff}. */
    public static void decodeUlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        decode(ULAW_DECODE, in, inOff, out, outOff, n);
    }

    /** Encodes {@code n} samples of {@code in} from {@code inOff} as A-law into {@code out} from {@code outOff}. */
    public static void encodeAlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        encode(ALAW_ENCODE, in, inOff, out, outOff, n);
    }

    /** Decodes {@code n} A-law bytes of {@code in} from {@code inOff} into {@code out} from {@code outOff}. */
    public static void decodeAlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        decode(ALAW_DECODE, in, inOff, out, outOff, n);
    }

    private static void encode(byte[] table, short[] in, int inOff, byte[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = table[in[inOff + i] & 0xFFFF];
        }
    }

    private static void decode(short[] table, byte[] in, int inOff, short[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = table[in[inOff + i] & 0xFF];
        }
    }

    private static int segment(int magnitude, int[] segmentEnds) {
        for (int seg = 0; seg < segmentEnds.length; seg++) {
            if (magnitude <= segmentEnds[seg]) {
                return seg;
            }
        }
        return segmentEnds.length;
    }

    /** G.711 table 2 encoding of a 14-bit sample: sign, 3-bit segment, 4-bit step, all inverted. */
    private static byte ulawFrom14(int sample) {
        int mask = sample < 0 ? 0x7F : 0xFF;
        int magnitude = Math.min(Math.abs(sample), ULAW_CLIP) + (ULAW_BIAS >> 2);
        int seg = segment(magnitude, ULAW_SEGMENT_END);
        int code = seg >= 8 ? 0x7F : (seg << 4) | ((magnitude >> (seg + 1)) & 0xF);
        return (byte) (code ^ mask);
    }

    /** G.711 table 1 encoding of a 13-bit sample: sign, 3-bit segment, 4-bit step, even bits inverted. */
    private static byte alawFrom13(int sample) {
        int mask = sample >= 0 ? 0xD5 : 0x55;
        int magnitude = sample >= 0 ? sample : -sample - 1;
        int seg = segment(magnitude, ALAW_SEGMENT_END);
        int code;
        if (seg >= 8) {
            code = 0x7F;
        } else {
            code = (seg << 4) | ((magnitude >> (seg < 2 ? 1 : seg)) & 0xF);
        }
        return (byte) (code ^ mask);
    }

    private static short ulawDecode(int code) {
        int inverted = ~code & 0xFF;
        int t = (((inverted & 0xF) << 3) + ULAW_BIAS) << ((inverted & 0x70) >> 4);
        return (short) ((inverted & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS);
    }

    private static short alawDecode(int code) {
        int a = code ^ 0x55;
        int seg = (a & 0x70) >> 4;
        int t = (a & 0xF) << 4;
        if (seg == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (seg - 1);
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }
}
