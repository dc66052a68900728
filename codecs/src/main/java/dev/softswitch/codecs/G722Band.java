package dev.softswitch.codecs;

import java.util.Arrays;

/**
 * The adaptive part of one G.722 sub-band, shared by the encoder and the decoder: the inverse
 * adaptive quantizer used for prediction (block 2, {@code INVQAL} / {@code INVQAH}), the scale
 * factor adaptation (block 3, {@code LOGSCL}/{@code SCALEL} or {@code LOGSCH}/{@code SCALEH}) and
 * the pole-zero predictor (block 4). Names follow the computational details of ITU-T G.722:
 * {@code det} is DETL or DETH, {@code nb} is NBL or NBH, {@code s} is SL or SH, and so on.
 *
 * <p>All arithmetic is the integer arithmetic of the recommendation, with its 16-bit saturations, so
 * an encoder and a decoder fed the same codes hold the same state.
 */
final class G722Band {

    /** ILB: 2^(i/32) in Q11, the mantissa of the inverse logarithmic scale factor (SCALEL, SCALEH). */
    private static final int[] ILB = {
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
    };

    /** QM4: the 4-bit inverse quantizer of the lower band (INVQAL), indexed by the top 4 bits of IL. */
    private static final int[] QM4 = {
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0
    };

    /** QM2: the 2-bit inverse quantizer of the higher band (INVQAH), indexed by IH. */
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};

    /** WL(RIL4(code)): the log scale factor step of LOGSCL, indexed by the top 4 bits of IL. */
    private static final int[] LOWER_STEP = {
        -60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60
    };

    /** WH(IH2(code)): the log scale factor step of LOGSCH, indexed by IH. */
    private static final int[] HIGHER_STEP = {798, -214, 798, -214};

    private final int[] inverseQuantizer;
    private final int[] logStep;
    private final int maxLogScale;
    private final int scaleShift;
    private final int initialDet;

    /** Quantizer scale factor, DETL or DETH. */
    int det;

    /** Signal estimate, SL or SH. */
    int s;

    private int nb; // logarithmic scale factor NBL / NBH
    private int sz; // zero-section estimate SZL / SZH
    private int r1; // previous reconstructed signal RLT1 / RH1
    private int p1; // previous partially reconstructed signals PLT1, PLT2 / PH1, PH2
    private int p2;
    private int a1; // pole section coefficients AL1, AL2 / AH1, AH2
    private int a2;
    private final int[] b = new int[6]; // zero section coefficients BL1..BL6 / BH1..BH6
    private final int[] d = new int[6]; // quantized difference history DLT1..DLT6 / DH1..DH6

    private G722Band(int[] inverseQuantizer, int[] logStep, int maxLogScale, int scaleShift, int initialDet) {
        this.inverseQuantizer = inverseQuantizer;
        this.logStep = logStep;
        this.maxLogScale = maxLogScale;
        this.scaleShift = scaleShift;
        this.initialDet = initialDet;
        reset();
    }

    /** The 0..4 kHz band, coded with 6 bits of which the top 4 drive the adaptation. */
    static G722Band lower() {
        return new G722Band(QM4, LOWER_STEP, 18432, 8, 32);
    }

    /** The 4..8 kHz band, coded with 2 bits. */
    static G722Band higher() {
        return new G722Band(QM2, HIGHER_STEP, 22528, 10, 8);
    }

    /** The reset state of G.722: everything zero but the scale factor (DETL = 32, DETH = 8). */
    void reset() {
        det = initialDet;
        s = 0;
        nb = 0;
        sz = 0;
        r1 = 0;
        p1 = 0;
        p2 = 0;
        a1 = 0;
        a2 = 0;
        Arrays.fill(b, 0);
        Arrays.fill(d, 0);
    }

    /** The quantized difference for {@code code} at the current scale factor (INVQAL / INVQAH). */
    int dequantize(int code) {
        return (det * inverseQuantizer[code]) >> 15;
    }

    /**
     * Moves the band on by one sample that was coded as {@code code} (the top 4 bits of IL for the
     * lower band, IH for the higher): blocks 2, 3 and 4 in the order of the recommendation.
     */
    void adapt(int code) {
        int dq = dequantize(code);
        // Block 3, LOGSCL / LOGSCH: leaky log scale factor, then SCALEL / SCALEH: its antilog.
        nb = clamp(((nb * 127) >> 7) + logStep[code], 0, maxLogScale);
        int mantissa = ILB[(nb >> 6) & 31];
        int shift = scaleShift - (nb >> 11);
        det = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
        predict(dq);
    }

    /** Block 4: reconstruct, adapt the pole and zero coefficients, and predict the next sample. */
    private void predict(int dq) {
        // RECONS and PARREC
        int r = saturate(s + dq);
        int p = saturate(sz + dq);

        // UPPOL2: a2 leaks towards zero and steps by the sign agreement of p with p1 and p2.
        int f = saturate(a1 << 2);
        int wd = Math.min(signsDiffer(p, p1) ? f : -f, Short.MAX_VALUE);
        int a2Next = clamp((signsDiffer(p, p2) ? -128 : 128) + (wd >> 7) + ((a2 * 32512) >> 15), -12288, 12288);

        // UPPOL1, limited so that the pole section stays stable.
        int a1Next = saturate((signsDiffer(p, p1) ? -192 : 192) + ((a1 * 32640) >> 15));
        int a1Limit = 15360 - a2Next;
        a1Next = clamp(a1Next, -a1Limit, a1Limit);

        // FILTEP: the pole section's output with the new coefficients.
        int sp = saturate(((a1Next * saturate(2 * r)) >> 15) + ((a2Next * saturate(2 * r1)) >> 15));
        r1 = r;
        a1 = a1Next;
        a2 = a2Next;
        p2 = p1;
        p1 = p;

        // UPZERO: each b leaks and steps by the sign agreement of dq with the old d; none if dq is 0.
        int step = dq == 0 ? 0 : 128;
        for (int i = 0; i < 6; i++) {
            b[i] = saturate((signsDiffer(d[i], dq) ? -step : step) + ((b[i] * 32640) >> 15));
        }
        // DELAYA, then FILTEZ over the delayed differences.
        System.arraycopy(d, 0, d, 1, 5);
        d[0] = dq;
        int zeros = 0;
        for (int i = 0; i < 6; i++) {
            zeros += (b[i] * saturate(2 * d[i])) >> 15;
        }
        sz = saturate(zeros);

        // PREDIC
        s = saturate(sp + sz);
    }

    /** Whether two 16-bit values have different sign bits (zero counts as positive). */
    private static boolean signsDiffer(int x, int y) {
        return (x ^ y) < 0;
    }

    static int saturate(int x) {
        return clamp(x, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    static int clamp(int x, int min, int max) {
        return Math.max(min, Math.min(max, x));
    }
}
