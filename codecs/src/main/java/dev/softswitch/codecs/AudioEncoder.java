package dev.softswitch.codecs;

/**
 * Turns 16-bit linear PCM into a codec's payload bytes. An instance may keep state between calls
 * (G.722 does), so use one per stream; the G.711 ones are stateless.
 */
@FunctionalInterface
public interface AudioEncoder {

    /**
     * Encodes {@code samples} samples of {@code pcm} from {@code offset} into {@code out} from
     * {@code outOffset}.
     *
     * @return the number of bytes written
     */
    int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset);
}
