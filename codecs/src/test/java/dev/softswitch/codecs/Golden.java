package dev.softswitch.codecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads the files under {@code src/test/resources/golden/}, made by {@code make-golden.sh} with sox
 * and, under {@code g722/}, by {@code g722/make-g722-golden.sh} with spandsp and ffmpeg.
 */
final class Golden {

    private Golden() {}

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name + "; run make-golden.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every 16-bit value, -32768 to 32767 in order: the input the encode golden files were made from. */
    static short[] allSamples() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        return all;
    }
}
