package dev.softswitch.codecs;

/**
 * Turns a codec's payload bytes into 16-bit linear PCM. An instance may keep state between calls
 * (G.722 does), so use one per stream; the G.711 ones are stateless.
 */
@FunctionalInterface
public interface AudioDecoder {

    /**
     * Decodes {@code length} bytes of {@code payload} from {@code offset} into {@code out} from
     * {@code outOffset}.
     *
     * @return the number of samples written
     */
    int decode(byte[] payload, int offset, int length, short[] out, int outOffset);
}
