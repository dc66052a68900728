package dev.softswitch.bench.load;

/**
 * A packet's number written into its PCMU payload so that it can be told when the echo sends it back: eight octets
 * carry the number a nibble each, eight more its complement. Each octet is a mu-law code in {@code 0xA0..0xAF}, which
 * decoding to linear and encoding again gives back unchanged, so the number survives an echo that decodes and encodes.
 */
final class EchoMarker {

    static final int LENGTH = 16;

    private static final int BASE = 0xA0;

    private EchoMarker() {}

    static void write(byte[] payload, int offset, int number) {
        for (int i = 0; i < 8; i++) {
            int shift = 28 - 4 * i;
            payload[offset + i] = (byte) (BASE | ((number >>> shift) & 0xf));
            payload[offset + 8 + i] = (byte) (BASE | ((~number >>> shift) & 0xf));
        }
    }

    /** The number in a payload, or -1 when it carries none (silence, concealment, a merged frame). */
    static long read(byte[] payload, int offset, int length) {
        if (length < LENGTH) {
            return -1;
        }
        int number = 0;
        int complement = 0;
        for (int i = 0; i < 8; i++) {
            int a = payload[offset + i] & 0xff;
            int b = payload[offset + 8 + i] & 0xff;
            if ((a & 0xf0) != BASE || (b & 0xf0) != BASE) {
                return -1;
            }
            number = (number << 4) | (a & 0xf);
            complement = (complement << 4) | (b & 0xf);
        }
        return number == ~complement ? number & 0xffff_ffffL : -1;
    }
}
