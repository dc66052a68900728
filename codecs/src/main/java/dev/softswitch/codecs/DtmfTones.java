package dev.softswitch.codecs;

/**
 * Makes the in-band signal of one DTMF key (ITU-T Q.23): its low-group and high-group tones added together, for a
 * peer that did not negotiate RFC 4733 telephone-events. What {@link DtmfDetector} hears.
 */
public final class DtmfTones {

    /**
     * Peak of each tone as a share of full scale: -10 dBFS, about -7 dBm0 per tone (a full-scale sine is +3.17 dBm0),
     * within the sending levels Q.23 leaves to administrations; the two together peak at -4 dBFS and never clip.
     */
    public static final double TONE_AMPLITUDE = 0.316;

    private DtmfTones() {}

    /**
     * {@code samples} samples of {@code key}'s two tones at {@code sampleRate}, each starting at phase 0.
     *
     * @throws IllegalArgumentException when {@code key} is not one of {@code 0-9 * # A-D}, or a tone would not fit
     *     below the Nyquist frequency of {@code sampleRate}
     */
    public static short[] key(char key, int sampleRate, int samples) {
        short[] low = new ToneGenerator(DtmfKeypad.lowHz(key), sampleRate, TONE_AMPLITUDE).next(samples);
        short[] high = new ToneGenerator(DtmfKeypad.highHz(key), sampleRate, TONE_AMPLITUDE).next(samples);
        for (int i = 0; i < samples; i++) {
            low[i] = (short) (low[i] + high[i]); // at most 2 x 0.316 of full scale: no overflow
        }
        return low;
    }
}
