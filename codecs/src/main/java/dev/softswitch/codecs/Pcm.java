package dev.softswitch.codecs;

import java.util.Objects;

/** Helpers for 16-bit signed linear PCM held in {@code short[]}: byte order, level, silence. */
public final class Pcm {

    private Pcm() {}

    /** The samples as little-endian bytes, two per sample (the byte order of WAV and most hosts). */
    public static byte[] toLittleEndian(short[] pcm) {
        byte[] out = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            out[2 * i] = (byte) pcm[i];
            out[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return out;
    }

    /**
     * The samples in {@code length} little-endian bytes of {@code data} from {@code offset}.
     *
     * @throws IllegalArgumentException if {@code length} is odd
     */
    public static short[] fromLittleEndian(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length % 2 != 0) {
            throw new IllegalArgumentException("16-bit PCM needs an even number of bytes, not " + length);
        }
        short[] out = new short[length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((data[offset + 2 * i] & 0xFF) | (data[offset + 2 * i + 1] << 8));
        }
        return out;
    }

    /** Root mean square of the samples, in sample units (a full-scale sine gives about 23,170); 0 if empty. */
    public static double rms(short[] pcm) {
        if (pcm.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short s : pcm) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / pcm.length);
    }

    /** {@code samples} samples of digital silence. */
    public static short[] silence(int samples) {
        return new short[samples];
    }
}
