package dev.softswitch.codecs;

import java.util.Arrays;

/**
 * Detects DTMF key presses in a stream of 16-bit PCM (in-band DTMF, ITU-T Q.23 signals received as
 * ITU-T Q.24 describes). Feed it the call's audio in order; it reports each key press exactly once, as
 * soon as the press has lasted long enough to be sure of it.
 *
 * <p>Every 5 ms it looks at the last 20 ms with {@link Goertzel} at the eight DTMF frequencies and asks
 * {@link DtmfClassifier} whether they hold one key (two dominant tones, -30 dBm0 or louder each, twist
 * within +4/-8 dB, nearly all of the energy). A key is reported once 6 looks in a row have seen it: a
 * press of 40 ms or more always is (45 ms when the tones are 1.5 % off frequency), one of 30 ms or less
 * never is, and one in between may be, depending on where it falls; Q.24 leaves that range to the
 * receiver. The same key is reported again only after 5 looks in a row without it, so a pause of 20 ms
 * always parts two presses and a drop-out of 10 ms never splits one. A different key is reported as
 * soon as it is confirmed.
 *
 * <p>Not thread-safe: one per stream. Costs 8 Goertzels of 20 ms every 5 ms, and little in silence.
 */
public final class DtmfDetector {

    /** Looks in a row that must see the same key before it is reported. */
    static final int MIN_PRESS_BLOCKS = 6;

    /** Looks in a row without the key that end a press. */
    static final int MIN_PAUSE_BLOCKS = 5;

    private static final int BLOCK_MS = 20;
    private static final int STEP_MS = 5;

    private final int sampleRate;
    private final int step;
    private final DtmfClassifier classifier;
    /** The last block's worth of samples; {@code filled} of them are valid, the older ones first. */
    private final short[] history;

    private int filled;
    private char candidate = DtmfClassifier.NONE;
    private int candidateBlocks;
    private char pressed = DtmfClassifier.NONE;
    private int missingBlocks;

    /** A detector for audio at {@code sampleRate}: 8000 or 16000 Hz. */
    public DtmfDetector(int sampleRate) {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new IllegalArgumentException("sample rate must be 8000 or 16000 Hz, not " + sampleRate);
        }
        this.sampleRate = sampleRate;
        int block = sampleRate * BLOCK_MS / 1000;
        this.step = sampleRate * STEP_MS / 1000;
        this.classifier = new DtmfClassifier(sampleRate, block);
        this.history = new short[block];
        this.filled = block - step; // as if the call began with silence
    }

    /**
     * Takes the next samples of the stream (a frame of any length, usually 20 ms) and returns the keys
     * ({@code 0-9 * # A-D}) whose press was confirmed within them, in order: usually none, at most one
     * per 35 ms of audio. A press is reported once, in the frame where it became certain, not when it
     * ends.
     */
    public String process(short[] frame) {
        StringBuilder keys = new StringBuilder(0);
        for (short sample : frame) {
            history[filled++] = sample;
            if (filled == history.length) {
                char key = look(classifier.classify(history, 0));
                if (key != DtmfClassifier.NONE) {
                    keys.append(key);
                }
                System.arraycopy(history, step, history, 0, history.length - step);
                filled -= step;
            }
        }
        return keys.toString();
    }

    /** Forgets the audio so far, as after a gap in the stream. */
    public void reset() {
        Arrays.fill(history, (short) 0);
        filled = history.length - step;
        candidate = DtmfClassifier.NONE;
        candidateBlocks = 0;
        pressed = DtmfClassifier.NONE;
        missingBlocks = 0;
    }

    /** Advances the state by one look that saw {@code key}; returns the key if a press is now confirmed. */
    private char look(char key) {
        if (key == candidate) {
            candidateBlocks++;
        } else {
            candidate = key;
            candidateBlocks = 1;
        }
        if (pressed != DtmfClassifier.NONE) {
            if (key == pressed) {
                missingBlocks = 0;
            } else if (++missingBlocks >= MIN_PAUSE_BLOCKS) {
                pressed = DtmfClassifier.NONE; // Q.24: a pause long enough to part two presses
            }
        }
        if (key != DtmfClassifier.NONE && key != pressed && candidateBlocks >= MIN_PRESS_BLOCKS) {
            pressed = key;
            missingBlocks = 0;
            return key;
        }
        return DtmfClassifier.NONE;
    }

    @Override
    public String toString() {
        return "DtmfDetector(" + sampleRate + " Hz)";
    }
}
