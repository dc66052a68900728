package dev.softswitch.codecs;

/**
 * The 4 x 4 DTMF keypad of ITU-T Q.23: each key is one low-group (row) frequency plus one
 * high-group (column) frequency.
 */
final class DtmfKeypad {

    /** The low group, one frequency per row, in Hz. */
    static final double[] LOW_HZ = {697, 770, 852, 941};

    /** The high group, one frequency per column, in Hz. */
    static final double[] HIGH_HZ = {1209, 1336, 1477, 1633};

    private static final String KEYS = "123A456B789C*0#D";

    private DtmfKeypad() {}

    /** The key at {@code row} (0-3, 697..941 Hz) and {@code column} (0-3, 1209..1633 Hz). */
    static char key(int row, int column) {
        return KEYS.charAt(row * 4 + column);
    }

    /** The low-group frequency of {@code key}. */
    static double lowHz(char key) {
        return LOW_HZ[indexOf(key) / 4];
    }

    /** The high-group frequency of {@code key}. */
    static double highHz(char key) {
        return HIGH_HZ[indexOf(key) % 4];
    }

    private static int indexOf(char key) {
        int index = KEYS.indexOf(key);
        if (index < 0) {
            throw new IllegalArgumentException("'" + key + "' is not a DTMF key (0-9 * # A-D)");
        }
        return index;
    }
}
