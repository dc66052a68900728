package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtmfDetectorTest {

    private static final String KEYS = "0123456789*#ABCD";
    private static final char[] ALL_KEYS = KEYS.toCharArray();

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void everyKeyPressedFor100msIsReportedOnce(int rate) {
        for (char key : ALL_KEYS) {
            Audio audio = new Audio(rate).silence(50).press(key, 100, -10, -10).silence(100);
            assertEquals(String.valueOf(key), audio.detect(), "key " + key + " at " + rate + " Hz");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void aDialledNumberComesOutInOrder(int rate) {
        Audio audio = new Audio(rate);
        for (char key : ALL_KEYS) {
            audio.press(key, 70, -10, -8).silence(60);
        }
        assertEquals(KEYS, audio.detect());
    }

    @Test
    void aKeyIsReportedInTheFrameWhereItBecomesCertain() {
        DtmfDetector detector = new DtmfDetector(8000);
        Audio audio = new Audio(8000).silence(7).press('5', 200, -10, -10).silence(100);
        StringBuilder perFrame = new StringBuilder();
        for (int at = 0; at < audio.length(); at += 160) {
            String keys = detector.process(Arrays.copyOfRange(audio.samples, at, at + 160));
            perFrame.append(keys.isEmpty() ? "." : keys);
        }
        // The tone starts 7 ms into frame 0 and is certain after about 33 ms more: frame 2.
        assertEquals("..5" + ".".repeat(13), perFrame.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void pressesOf30msAreIgnoredAndOf40msReportedWhereverTheyStartInAFrame(int rate) {
        for (int offset = 0; offset < rate / 50; offset += 3) {
            double startMs = 40 + offset * 1000.0 / rate;
            for (char key : new char[] {'1', '#', 'D'}) {
                Audio shortPress = new Audio(rate)
                        .silence(startMs)
                        .press(key, 30, -10, -10)
                        .silence(60);
                assertEquals("", shortPress.detect(), "30 ms of " + key + " from " + startMs + " ms");
                Audio press = new Audio(rate)
                        .silence(startMs)
                        .press(key, 40, -10, -10)
                        .silence(60);
                assertEquals(String.valueOf(key), press.detect(), "40 ms of " + key + " from " + startMs + " ms");
            }
        }
    }

    @Test
    void theSameKeyTwiceAfterAPauseIsTwoPressesButADropOutIsNot() {
        Audio twice = new Audio(8000).press('7', 100, -10, -10).silence(50).press('7', 100, -10, -10);
        assertEquals("77", twice.silence(50).detect());
        Audio quickly = new Audio(16000).press('#', 60, -10, -10).silence(20).press('#', 60, -10, -10);
        assertEquals("##", quickly.silence(50).detect());
        Audio dropOut = new Audio(8000).press('7', 100, -10, -10).silence(10).press('7', 100, -10, -10);
        assertEquals("7", dropOut.silence(50).detect());
    }

    @Test
    void oneKeyStraightAfterAnotherIsReported() {
        Audio audio = new Audio(8000)
                .press('1', 80, -10, -10)
                .press('2', 80, -10, -10)
                .press('1', 80, -10, -10);
        assertEquals("121", audio.silence(50).detect());
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void singleTonesAndTwoTonesOfOneGroupAreNotKeys(int rate) {
        assertEquals("", new Audio(rate).tones(500, -10, 1000).detect(), "1000 Hz");
        for (double hz : new double[] {697, 770, 852, 941, 1209, 1336, 1477, 1633}) {
            assertEquals("", new Audio(rate).tones(500, -5, hz).detect(), hz + " Hz alone");
        }
        assertEquals("", new Audio(rate).tones(500, -10, 697, 770).detect(), "two rows");
        assertEquals("", new Audio(rate).tones(500, -10, 1209, 1477).detect(), "two columns");
        assertEquals("", new Audio(rate).tones(500, -10, 697, 1209, 1336).detect(), "a row and two columns");
        assertEquals("", new Audio(rate).tones(500, -10, 350, 440).detect(), "dial tone");
        assertEquals("", new Audio(rate).tones(500, -10, 480, 620).detect(), "busy tone");
    }

    @Test
    void twistUpToPlus4AndMinus8dBIsAcceptedAndNoMore() {
        // twist = level of the high-group tone minus that of the low-group tone
        for (char key : ALL_KEYS) {
            assertEquals(
                    key + "",
                    new Audio(8000).press(key, 100, -13, -9).silence(50).detect(),
                    "+4 dB");
            assertEquals(
                    key + "",
                    new Audio(8000).press(key, 100, -8, -16).silence(50).detect(),
                    "-8 dB");
            assertEquals(
                    "", new Audio(8000).press(key, 100, -14, -8).silence(50).detect(), "+6 dB");
            assertEquals(
                    "", new Audio(8000).press(key, 100, -6, -17).silence(50).detect(), "-11 dB");
        }
    }

    @Test
    void tonesUpTo1point5PercentOffFrequencyAreAccepted() {
        for (char key : ALL_KEYS) {
            for (double factor : new double[] {0.985, 1.015}) {
                Audio audio = new Audio(8000)
                        .tones(100, -10, DtmfKeypad.lowHz(key) * factor, DtmfKeypad.highHz(key) * factor)
                        .silence(50);
                assertEquals(key + "", audio.detect(), key + " times " + factor);
            }
            Audio worstCase = new Audio(8000)
                    .mix(100, -8, DtmfKeypad.lowHz(key) * 0.985, -16, DtmfKeypad.highHz(key) * 1.015)
                    .silence(50);
            assertEquals(key + "", worstCase.detect(), key + " off frequency with -8 dB twist");
        }
    }

    @Test
    void theQuietestKeyIsAbout30dBBelowTheMilliwatt() {
        for (char key : ALL_KEYS) {
            assertEquals(
                    key + "",
                    new Audio(8000).press(key, 100, -28, -28).silence(50).detect(),
                    "-28 dBm0");
            assertEquals(
                    "", new Audio(8000).press(key, 100, -33, -33).silence(50).detect(), "-33 dBm0");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void keysSurviveG711(int rate) {
        for (boolean ulaw : new boolean[] {true, false}) {
            for (double level : new double[] {-5, -25}) {
                Audio audio = new Audio(rate);
                for (char key : ALL_KEYS) {
                    audio.press(key, 60, level, level).silence(50);
                }
                assertEquals(KEYS, audio.g711(ulaw).detect(), (ulaw ? "mu-law " : "A-law ") + level + " dBm0");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void keysAreHeardThroughNoise(int rate) {
        Audio audio = new Audio(rate);
        for (char key : ALL_KEYS) {
            audio.press(key, 60, -10, -10).silence(50);
        }
        assertEquals(KEYS, audio.noise(-30, 42).g711(true).detect(), "white noise 17 dB below the key");
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void whiteNoiseIsNeverAKey(int rate) {
        for (double level : new double[] {-40, -20, -10, -3}) {
            Audio audio = new Audio(rate).silence(10_000).noise(level, 7);
            assertEquals("", audio.detect(), "10 s of noise at " + level + " dBm0");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void speechIsNeverAKey(int rate) {
        for (long seed = 1; seed <= 3; seed++) {
            Audio normal = new Audio(rate).speech(10_000, seed);
            for (double gain : new double[] {1, 2}) {
                Audio speech = normal.louder(gain);
                String what = "10 s of speech-like sound, seed " + seed + ", gain " + gain;
                assertEquals("", speech.detect(), what);
                assertEquals("", speech.g711(true).detect(), what + " through mu-law");
            }
        }
    }

    @Test
    void framesOfAnySizeGiveTheSameKeys() {
        Audio audio = new Audio(16000).press('9', 80, -10, -10).silence(40).press('9', 80, -10, -10);
        audio.silence(40).press('C', 80, -10, -10).silence(40);
        for (int size : new int[] {1, 7, 160, 320, 999, audio.length()}) {
            DtmfDetector detector = new DtmfDetector(16000);
            StringBuilder keys = new StringBuilder();
            for (int at = 0; at < audio.length(); at += size) {
                keys.append(
                        detector.process(Arrays.copyOfRange(audio.samples, at, Math.min(audio.length(), at + size))));
            }
            assertEquals("99C", keys.toString(), "frames of " + size);
        }
    }

    @Test
    void resetForgetsAHalfHeardPress() {
        DtmfDetector detector = new DtmfDetector(8000);
        Audio first = new Audio(8000).press('4', 25, -10, -10);
        Audio second = new Audio(8000).press('4', 25, -10, -10).silence(40);
        assertEquals("", detector.process(first.samples));
        detector.reset();
        assertEquals("", detector.process(second.samples), "two halves are not one press across a reset");
    }

    @Test
    void onlyTelephoneRatesAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new DtmfDetector(44_100));
        assertEquals("DtmfDetector(16000 Hz)", new DtmfDetector(16_000).toString());
    }

    /** Builds a test signal millisecond by millisecond; levels are per tone in dBm0. */
    private static final class Audio {

        private final int rate;
        private short[] samples = new short[0];

        Audio(int rate) {
            this.rate = rate;
        }

        int length() {
            return samples.length;
        }

        Audio silence(double ms) {
            samples = Arrays.copyOf(samples, samples.length + count(ms));
            return this;
        }

        Audio press(char key, double ms, double lowDbm0, double highDbm0) {
            return mix(ms, lowDbm0, DtmfKeypad.lowHz(key), highDbm0, DtmfKeypad.highHz(key));
        }

        Audio mix(double ms, double lowDbm0, double lowHz, double highDbm0, double highHz) {
            short[] low = new ToneGenerator(lowHz, rate, amplitude(lowDbm0)).next(count(ms));
            short[] high = new ToneGenerator(highHz, rate, amplitude(highDbm0)).next(count(ms));
            return append(low, high);
        }

        Audio tones(double ms, double dbm0, double... hz) {
            short[][] parts = new short[hz.length][];
            for (int i = 0; i < hz.length; i++) {
                parts[i] = new ToneGenerator(hz[i], rate, amplitude(dbm0)).next(count(ms));
            }
            return append(parts);
        }

        /** Adds seeded white noise of mean square {@code dbm0} over everything so far. */
        Audio noise(double dbm0, long seed) {
            Random random = new Random(seed);
            double rms = Math.sqrt(DtmfClassifier.ZERO_DBM0 * Math.pow(10, dbm0 / 10)) * 32768;
            for (int i = 0; i < samples.length; i++) {
                samples[i] = clip(samples[i] + rms * random.nextGaussian());
            }
            return this;
        }

        /**
         * A voice-like sound: the harmonics of a pitch that glides between 80 and 300 Hz, shaped by two
         * formants that wander over the vowel space, in syllables of 100 to 300 ms, about -13 dBm0.
         */
        Audio speech(double ms, long seed) {
            Random random = new Random(seed);
            int n = count(ms);
            short[] out = new short[n];
            double[] phases = new double[64];
            double pitch = 150;
            double f1 = 500;
            double f2 = 1500;
            int syllableLeft = 0;
            int syllableLength = 1;
            for (int i = 0; i < n; i++) {
                if (syllableLeft == 0) {
                    syllableLength = count(100 + 200 * random.nextDouble());
                    syllableLeft = syllableLength;
                }
                if (i % (rate / 100) == 0) { // every 10 ms the voice moves a little
                    pitch = Math.clamp(pitch + random.nextGaussian() * 8, 80, 300);
                    f1 = Math.clamp(f1 + random.nextGaussian() * 40, 250, 900);
                    f2 = Math.clamp(f2 + random.nextGaussian() * 80, 800, 2600);
                }
                double envelope = Math.sin(Math.PI * (syllableLength - syllableLeft) / syllableLength);
                syllableLeft--;
                double value = 0;
                for (int h = 1; h < phases.length && h * pitch < Math.min(3800, rate / 2.0 - 100); h++) {
                    double f = h * pitch;
                    phases[h] += 2 * Math.PI * f / rate;
                    double formants = 1 / (1 + square((f - f1) / 150)) + 0.6 / (1 + square((f - f2) / 200));
                    value += formants * Math.sin(phases[h]) / Math.sqrt(h);
                }
                out[i] = clip(value * envelope * 10_000);
            }
            return append(out);
        }

        /** A copy {@code gain} times as loud. */
        Audio louder(double gain) {
            Audio copy = new Audio(rate);
            copy.samples = new short[samples.length];
            for (int i = 0; i < samples.length; i++) {
                copy.samples[i] = clip(samples[i] * gain);
            }
            return copy;
        }

        Audio g711(boolean ulaw) {
            byte[] coded = new byte[samples.length];
            short[] back = new short[samples.length];
            if (ulaw) {
                G711.encodeUlaw(samples, 0, coded, 0, samples.length);
                G711.decodeUlaw(coded, 0, back, 0, samples.length);
            } else {
                G711.encodeAlaw(samples, 0, coded, 0, samples.length);
                G711.decodeAlaw(coded, 0, back, 0, samples.length);
            }
            Audio copy = new Audio(rate);
            copy.samples = back;
            return copy;
        }

        /** All the keys a fresh detector reports, fed in 20 ms frames. */
        String detect() {
            DtmfDetector detector = new DtmfDetector(rate);
            StringBuilder keys = new StringBuilder();
            int frame = rate / 50;
            for (int at = 0; at < samples.length; at += frame) {
                keys.append(detector.process(Arrays.copyOfRange(samples, at, Math.min(samples.length, at + frame))));
            }
            return keys.toString();
        }

        private Audio append(short[]... parts) {
            int at = samples.length;
            samples = Arrays.copyOf(samples, at + parts[0].length);
            for (int i = 0; i < parts[0].length; i++) {
                double sum = 0;
                for (short[] part : parts) {
                    sum += part[i];
                }
                samples[at + i] = clip(sum);
            }
            return this;
        }

        private int count(double ms) {
            return (int) Math.round(ms * rate / 1000);
        }

        private static double amplitude(double dbm0) {
            return Math.sqrt(2 * DtmfClassifier.ZERO_DBM0 * Math.pow(10, dbm0 / 10));
        }

        private static double square(double x) {
            return x * x;
        }

        private static short clip(double value) {
            return (short) Math.clamp(Math.round(value), Short.MIN_VALUE, Short.MAX_VALUE);
        }
    }
}
