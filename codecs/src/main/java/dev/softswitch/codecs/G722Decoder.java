package dev.softswitch.codecs;

import java.util.Arrays;
import java.util.Objects;

/**
 * ITU-T G.722 sub-band ADPCM decoder at 64 kbit/s (mode 1): each octet {@code IH << 6 | IL} gives
 * one sample of each 8 kHz sub-band, and the receive QMF joins them into two 16 kHz 16-bit samples
 * (160 octets = 20 ms = 320 samples).
 *
 * <p>Stateful like {@link G722Encoder}: one decoder per stream, frames in order, {@link #reset()}
 * for a new stream. The QMF output is clipped to 16 bits, as ffmpeg and the ITU-T reference code do;
 * spandsp 0.0.6 instead lets it wrap around (a full-scale square wave comes out with spikes of the
 * wrong sign), and matches this decoder bit for bit everywhere else.
 */
public final class G722Decoder implements AudioDecoder {

    /** QM6: the 6-bit inverse quantizer of the lower band (INVQBL), indexed by IL. */
    private static final int[] QM6 = {
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136
    };

    private static final int HALF = G722Qmf.TAPS / 2;

    /** Receive QMF inputs, newest first: the sub-band difference rL - rH and sum rL + rH. */
    private final int[] difference = new int[HALF];

    private final int[] sum = new int[HALF];

    private final G722Band lower = G722Band.lower();
    private final G722Band higher = G722Band.higher();

    /** A new decoder in the reset state. */
    public G722Decoder() {}

    /**
     * Decodes {@code length} octets into {@code 2 * length} 16 kHz samples.
     *
     * @return the number of samples written, {@code 2 * length}
     */
    @Override
    public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        Objects.checkFromIndexSize(outOffset, 2 * length, out.length);
        for (int i = 0; i < length; i++) {
            decodeOctet(payload[offset + i] & 0xFF, out, outOffset + 2 * i);
        }
        return 2 * length;
    }

    /** Forgets all history: the next octet starts a new stream. */
    public void reset() {
        Arrays.fill(difference, 0);
        Arrays.fill(sum, 0);
        lower.reset();
        higher.reset();
    }

    private void decodeOctet(int octet, short[] out, int at) {
        int il = octet & 0x3F;
        int ih = octet >> 6;
        // Blocks 5L INVQBL, RECONS and 6L LIMIT: the lower band from all 6 bits, to 15 bits.
        int rl = G722Band.clamp(lower.s + ((lower.det * QM6[il]) >> 15), -16384, 16383);
        lower.adapt(il >> 2);
        // Blocks 2H INVQAH, 5H RECONS and 6H LIMIT.
        int rh = G722Band.clamp(higher.s + higher.dequantize(ih), -16384, 16383);
        higher.adapt(ih);

        // Receive QMF: xout(j) = 2 sum h(2i) xd(i), xout(j+1) = 2 sum h(2i+1) xs(i), back to 16 bits.
        System.arraycopy(difference, 0, difference, 1, HALF - 1);
        System.arraycopy(sum, 0, sum, 1, HALF - 1);
        difference[0] = rl - rh;
        sum[0] = rl + rh;
        out[at] = (short) G722Band.saturate(G722Qmf.half(difference, 0, 1) >> 11);
        out[at + 1] = (short) G722Band.saturate(G722Qmf.half(sum, 1, 1) >> 11);
    }

    @Override
    public String toString() {
        return "G722 (ITU-T G.722 64 kbit/s decoder)";
    }
}
