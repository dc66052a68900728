package dev.softswitch.codecs;

/**
 * The 24-tap quadrature mirror filter pair of ITU-T G.722 that splits 16 kHz audio into two 8 kHz
 * sub-bands (transmit) and joins them again (receive). The coefficients h0..h23 are symmetric and
 * scaled so that each of the two polyphase halves sums to 4096 (2^12).
 */
final class G722Qmf {

    /** h0..h23. */
    private static final int[] H = {
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3
    };

    static final int TAPS = H.length;

    private G722Qmf() {}

    /**
     * The sum of {@code h(2i + parity) * x[stride * i + parity * (stride - 1)]} for i = 0..11: the
     * even ({@code parity} 0) or odd (1) polyphase half of the filter over a newest-first history
     * holding every input sample ({@code stride} 2) or one sub-band's samples ({@code stride} 1).
     */
    static int half(int[] x, int parity, int stride) {
        int sum = 0;
        int at = parity * (stride - 1);
        for (int i = 0; i < TAPS / 2; i++) {
            sum += H[2 * i + parity] * x[at];
            at += stride;
        }
        return sum;
    }
}
