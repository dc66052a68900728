package dev.softswitch.codecs;

import java.util.Arrays;
import java.util.Objects;

/**
 * ITU-T G.722 sub-band ADPCM encoder at 64 kbit/s (mode 1): 16 kHz 16-bit linear PCM in, one octet
 * per pair of samples out (20 ms = 320 samples = 160 octets). The transmit QMF splits each pair into
 * a lower and a higher 8 kHz sub-band sample; the lower is coded with 6 bits, the higher with 2, and
 * the octet is {@code IH << 6 | IL} as RFC 3551 4.5.2 puts it on the wire.
 *
 * <p>Stateful: the QMF history and both bands' predictors run on across calls, so use one encoder
 * per stream and feed it the frames in order; {@link #reset()} starts a new stream. Bit-exact with
 * spandsp and ffmpeg (the golden-file tests check it).
 */
public final class G722Encoder implements AudioEncoder {

    /** Q6: the lower-band decision levels (QUANTL), compared after scaling by DETL. */
    private static final int[] Q6 = {
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219,
        1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919
    };

    /** The 6-bit IL of interval {@code i} (1..30) of QUANTL, for a negative and a positive difference. */
    private static final int[] IL_NEGATIVE = {
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
        5, 4
    };

    private static final int[] IL_POSITIVE = {
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35,
        34, 33, 32
    };

    /** Input samples, newest first: x(j), x(j-1), ..., x(j-23). */
    private final int[] history = new int[G722Qmf.TAPS];

    private final G722Band lower = G722Band.lower();
    private final G722Band higher = G722Band.higher();

    /** A new encoder in the reset state. */
    public G722Encoder() {}

    /**
     * Encodes {@code samples} 16 kHz samples, which must be even in number, into {@code samples / 2}
     * octets.
     *
     * @return the number of octets written, {@code samples / 2}
     * @throws IllegalArgumentException if {@code samples} is odd
     */
    @Override
    public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
        if (samples % 2 != 0) {
            throw new IllegalArgumentException("G.722 codes pairs of 16 kHz samples; " + samples + " is odd");
        }
        Objects.checkFromIndexSize(offset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, samples / 2, out.length);
        for (int i = 0; i < samples / 2; i++) {
            out[outOffset + i] = (byte) encodePair(pcm[offset + 2 * i], pcm[offset + 2 * i + 1]);
        }
        return samples / 2;
    }

    /** Forgets all history: the next sample starts a new stream. */
    public void reset() {
        Arrays.fill(history, 0);
        lower.reset();
        higher.reset();
    }

    private int encodePair(short first, short second) {
        // Transmit QMF: xA over the even taps, xB over the odd; 16-bit in, 15-bit sub-bands out.
        System.arraycopy(history, 0, history, 2, G722Qmf.TAPS - 2);
        history[1] = first;
        history[0] = second;
        int xa = G722Qmf.half(history, 0, 2);
        int xb = G722Qmf.half(history, 1, 2);
        int il = quantizeLower((xa + xb) >> 14);
        int ih = quantizeHigher((xa - xb) >> 14);
        lower.adapt(il >> 2);
        higher.adapt(ih);
        return ih << 6 | il;
    }

    /** Blocks 1L SUBTRA and QUANTL: the 6-bit code of the lower band's prediction error. */
    private int quantizeLower(int xl) {
        int el = G722Band.saturate(xl - lower.s);
        int magnitude = el >= 0 ? el : -(el + 1);
        int interval = 1;
        while (interval < Q6.length && magnitude >= (Q6[interval] * lower.det) >> 12) {
            interval++;
        }
        return el < 0 ? IL_NEGATIVE[interval] : IL_POSITIVE[interval];
    }

    /** Blocks 1H SUBTRA and QUANTH: the 2-bit code of the higher band's prediction error. */
    private int quantizeHigher(int xh) {
        int eh = G722Band.saturate(xh - higher.s);
        int magnitude = eh >= 0 ? eh : -(eh + 1);
        boolean outer = magnitude >= (564 * higher.det) >> 12;
        if (eh < 0) {
            return outer ? 0 : 1;
        }
        return outer ? 2 : 3;
    }

    @Override
    public String toString() {
        return "G722 (ITU-T G.722 64 kbit/s encoder)";
    }
}
